package dev.mediagate.api.files;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.api.web.NotFoundException;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.core.files.Visibility;
import dev.mediagate.core.upload.FieldError;
import dev.mediagate.core.upload.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
     * As the owner's route, plus the manifest's {@code recipe} and whether it is stale against today's configuration
     * (the stage's {@code resizerConfig}; absent when the API cannot tell).
     */
    @GetMapping("/owners/{owner}/files/{fileId}")
    ResponseEntity<ServiceFileView> fileForService(Owner owner, @PathVariable("fileId") String fileIdText, HttpServletRequest request) {
        FileId fileId = requestedFileId(fileIdText);
        Optional<Manifest> manifest = catalog.manifest(owner, fileId);
        if (manifest.isEmpty()) {
            FileView processing = views.view(owner, fileId, Instant.MAX).orElseThrow(NotFoundException::new);
            return noStore(new ServiceFileView(processing, null, null));
        }
        FileView view = views.view(owner, fileId, manifest.get(), Instant.MAX);
        Boolean stale = ResizerConfiguration.of(request).map(today -> Recipe.isStale(manifest.get(), today, manifest.get().focus())).orElse(null);
        return noStore(new ServiceFileView(view, manifest.get().recipe(), stale));
    }

    /**
     * {@code {"visibility"}} and/or {@code {"focus"}}: each a change of its own (counted, final), the visibility first. A
     * new focus is written to the manifest, then the resizer is asked to make the cover variants again around it.
     */
    @PatchMapping(path = {"/files/{fileId}", "/owners/{owner}/files/{fileId}"}, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<FileView> change(Owner owner, @PathVariable("fileId") String fileIdText, @RequestBody JsonNode body) {
        FileId fileId = requestedFileId(fileIdText);
        Change change = requestedChange(body);
        Manifest changed = null;
        if (change.visibility() != null) {
            changed = publication.change(owner, fileId, change.visibility());
        }
        if (change.setsFocus()) {
            Optional<Recipe.Focus> before = catalog.manifest(owner, fileId).map(Manifest::focus);
            changed = publication.changeFocus(owner, fileId, change.focus());
            if (before.isEmpty() || !Objects.equals(before.get(), change.focus())) {
                reprocessing.queue(owner, fileId, false);
            }
        }
        return noStore(views.view(owner, fileId, changed, Instant.MAX));
    }

    /** What a {@code PATCH} asks for: a visibility (null: unchanged) and, when {@code setsFocus}, a focus (null: none). */
    record Change(Visibility visibility, boolean setsFocus, Recipe.Focus focus) {
    }

    /** {@code {"visibility": "public" | "private"}} and/or {@code {"focus": {"x", "y"} | null}}, and nothing else. */
    static Change requestedChange(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.", List.of());
        }
        Optional<String> unknown = body.properties().stream().map(Map.Entry::getKey)
                .filter(name -> !name.equals("visibility") && !name.equals("focus")).findFirst();
        if (unknown.isPresent()) {
            throw new InvalidRequestException("Only the visibility and the focus can be changed.",
                    List.of(new FieldError(unknown.get(), "is not a field of this request")));
        }
        if (!body.has("visibility") && !body.has("focus")) {
            throw new InvalidRequestException("Nothing to change: give the visibility or the focus.",
                    List.of(new FieldError("visibility", "or focus is required")));
        }
        Visibility visibility = null;
        if (body.has("visibility")) {
            JsonNode value = body.get("visibility");
            visibility = Optional.ofNullable(value).filter(JsonNode::isTextual).flatMap(v -> Visibility.fromCode(v.textValue()))
                    .orElseThrow(() -> new InvalidRequestException("The visibility is missing or invalid.",
                            List.of(new FieldError("visibility", "must be \"private\" or \"public\""))));
        }
        return new Change(visibility, body.has("focus"), body.has("focus") ? requestedFocus(body.get("focus")) : null);
    }

    /** {@code null}, or {@code {"x", "y"}}: two numbers in 0…1 of the upright image, nothing else. */
    private static Recipe.Focus requestedFocus(JsonNode focus) {
        if (focus.isNull()) {
            return null;
        }
        if (!focus.isObject()) {
            throw new InvalidRequestException("The focus must be {\"x\", \"y\"} or null.",
                    List.of(new FieldError("focus", "must be an object with x and y, or null")));
        }
        Optional<String> unknown = focus.properties().stream().map(Map.Entry::getKey)
                .filter(name -> !name.equals("x") && !name.equals("y")).findFirst();
        if (unknown.isPresent()) {
            throw new InvalidRequestException("The focus has x and y only.",
                    List.of(new FieldError("focus." + unknown.get(), "is not a field of the focus")));
        }
        List<FieldError> errors = new java.util.ArrayList<>();
        for (String axis : List.of("x", "y")) {
            JsonNode value = focus.path(axis);
            if (!value.isNumber() || !(value.doubleValue() >= 0 && value.doubleValue() <= 1)) {
                errors.add(new FieldError("focus." + axis, "must be a number from 0 to 1"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The focus is invalid.", errors);
        }
        return new Recipe.Focus(focus.get("x").doubleValue(), focus.get("y").doubleValue());
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
