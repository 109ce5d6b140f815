package dev.mediagate.api.files;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.api.web.NotFoundException;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.files.Visibility;
import dev.mediagate.core.upload.FieldError;
import dev.mediagate.core.upload.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A file as its owner, or a service caller naming the owner, sees and changes it. */
@RestController
class FileController {

    private final FileViews views;
    private final Publication publication;
    private final FileRemoval removal;
    private final FileCatalog catalog;
    private final Reprocessing reprocessing;

    FileController(FileViews views, Publication publication, FileRemoval removal, FileCatalog catalog, Reprocessing reprocessing) {
        this.views = views;
        this.publication = publication;
        this.removal = removal;
        this.catalog = catalog;
        this.reprocessing = reprocessing;
    }

    @GetMapping("/files/{fileId}")
    ResponseEntity<FileView> file(Owner owner, @PathVariable("fileId") String fileIdText) {
        FileId fileId = requestedFileId(fileIdText);
        return noStore(views.view(owner, fileId, Instant.MAX).orElseThrow(NotFoundException::new));
    }

    /**
     * As the owner's route, plus the manifest's {@code recipe}. Whether it is today's is for the resizer's side to say
     * (its configuration is the resizer's): {@code POST …/reprocess} answers 200 when it is.
     */
    @GetMapping("/owners/{owner}/files/{fileId}")
    ResponseEntity<ServiceFileView> fileForService(Owner owner, @PathVariable("fileId") String fileIdText) {
        FileId fileId = requestedFileId(fileIdText);
        Optional<Manifest> manifest = catalog.manifest(owner, fileId);
        if (manifest.isEmpty()) {
            FileView processing = views.view(owner, fileId, Instant.MAX).orElseThrow(NotFoundException::new);
            return noStore(new ServiceFileView(processing, null));
        }
        FileView view = views.view(owner, fileId, manifest.get(), Instant.MAX);
        return noStore(new ServiceFileView(view, manifest.get().recipe()));
    }

    @PatchMapping(path = {"/files/{fileId}", "/owners/{owner}/files/{fileId}"}, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<FileView> changeVisibility(Owner owner, @PathVariable("fileId") String fileIdText, @RequestBody JsonNode body) {
        FileId fileId = requestedFileId(fileIdText);
        Visibility target = requestedVisibility(body);
        Manifest changed = publication.change(owner, fileId, target);
        return noStore(views.view(owner, fileId, changed, Instant.MAX));
    }

    /** The answer of {@code POST …/reprocess}: the file as it stands (its variants are made again in the background). */
    record ReprocessView(String fileId, String status, String recipe) {
    }

    /** {@code {"force": false}} (the body may be empty): 200 when the file is current, 202 once the resizer is asked. */
    @PostMapping("/owners/{owner}/files/{fileId}/reprocess")
    ResponseEntity<ReprocessView> reprocess(Owner owner, @PathVariable("fileId") String fileIdText,
            @RequestBody(required = false) JsonNode body, HttpServletRequest request) {
        FileId fileId = requestedFileId(fileIdText);
        boolean force = requestedForce(body);
        Reprocessing.Answer answer = reprocessing.request(owner, fileId, force, ResizerConfiguration.of(request));
        return ResponseEntity.status(answer.queued() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(new ReprocessView(answer.fileId(), answer.status(), answer.recipe()));
    }

    /** {@code force}, a boolean, and nothing else; no body at all (or {@code {}}) is {@code force: false}. */
    static boolean requestedForce(JsonNode body) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            return false;
        }
        if (!body.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.", List.of());
        }
        Optional<String> unknown = body.properties().stream().map(Map.Entry::getKey).filter(name -> !name.equals("force")).findFirst();
        if (unknown.isPresent()) {
            throw new InvalidRequestException("Only force can be given.", List.of(new FieldError(unknown.get(), "is not a field of this request")));
        }
        JsonNode force = body.path("force");
        if (!force.isMissingNode() && !force.isBoolean()) {
            throw new InvalidRequestException("force must be true or false.", List.of(new FieldError("force", "must be a boolean")));
        }
        return force.asBoolean(false);
    }

    @DeleteMapping({"/files/{fileId}", "/owners/{owner}/files/{fileId}"})
    ResponseEntity<Void> delete(Owner owner, @PathVariable("fileId") String fileIdText) {
        FileId fileId = requestedFileId(fileIdText);
        if (!removal.delete(owner, fileId)) {
            throw new NotFoundException();
        }
        return ResponseEntity.noContent().build();
    }

    /** {@code {"visibility": "public" | "private"}} and nothing else. */
    private static Visibility requestedVisibility(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.", List.of());
        }
        Optional<String> unknown = body.properties().stream().map(Map.Entry::getKey)
                .filter(name -> !name.equals("visibility")).findFirst();
        if (unknown.isPresent()) {
            throw new InvalidRequestException("Only the visibility can be changed.",
                    List.of(new FieldError(unknown.get(), "is not a field of this request")));
        }
        JsonNode value = body.get("visibility");
        return Optional.ofNullable(value).filter(JsonNode::isTextual).flatMap(v -> Visibility.fromCode(v.textValue()))
                .orElseThrow(() -> new InvalidRequestException("The visibility is missing or invalid.",
                        List.of(new FieldError("visibility", "must be \"private\" or \"public\""))));
    }

    /** The path's file id, also named in this request's log lines; a malformed one is simply not found. */
    static FileId requestedFileId(String text) {
        FileId fileId = FileId.parse(text).orElseThrow(NotFoundException::new);
        MDC.put("fileId", fileId.value());
        return fileId;
    }

    /** Signed URLs are personal: no shared cache may keep the answer. */
    private static <T> ResponseEntity<T> noStore(T view) {
        return ResponseEntity.ok().header("Cache-Control", "private, no-store").body(view);
    }
}
