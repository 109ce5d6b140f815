package dev.mediagate.api.upload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.api.upload.MultipartRequests.CompletionRequest;
import dev.mediagate.api.upload.MultipartRequests.PartsRequest;
import dev.mediagate.api.upload.MultipartUploads.SignedParts;
import dev.mediagate.api.upload.MultipartUploads.StoredPart;
import dev.mediagate.api.web.NotFoundException;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Owner;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The routes of a multipart upload after {@code POST /uploads}: part URLs, the parts S3 holds, completion, abort. */
@RestController
class MultipartController {

    private static final Logger log = LoggerFactory.getLogger(MultipartController.class);

    private final MultipartUploads uploads;

    MultipartController(MultipartUploads uploads) {
        this.uploads = uploads;
    }

    record PartsResponse(List<MultipartUploads.SignedPart> parts, Instant expiresAt) {
    }

    record StoredPartsResponse(List<StoredPart> parts) {
    }

    record CompletedResponse(String fileId, String status) {
    }

    @PostMapping(path = {"/uploads/{fileId}/parts", "/owners/{owner}/uploads/{fileId}/parts"},
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PartsResponse> signParts(Owner owner, @PathVariable("fileId") String fileIdText, @RequestBody JsonNode body) {
        FileId fileId = requestedFileId(fileIdText);
        PartsRequest request = MultipartRequests.parts(body);
        SignedParts signed = uploads.sign(owner, fileId, request.uploadId(), request.partNumbers());
        log.atInfo().addKeyValue("parts", request.partNumbers().size()).log("part URLs issued");
        return ResponseEntity.ok().header("Cache-Control", "private, no-store")
                .body(new PartsResponse(signed.parts(), signed.expiresAt()));
    }

    @GetMapping(path = {"/uploads/{fileId}/parts", "/owners/{owner}/uploads/{fileId}/parts"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<StoredPartsResponse> storedParts(Owner owner, @PathVariable("fileId") String fileIdText,
            @RequestParam(name = "uploadId", required = false) String uploadIdParameter) {
        FileId fileId = requestedFileId(fileIdText);
        String uploadId = MultipartRequests.uploadIdParameter(uploadIdParameter);
        return ResponseEntity.ok().header("Cache-Control", "private, no-store")
                .body(new StoredPartsResponse(uploads.parts(owner, fileId, uploadId)));
    }

    @PostMapping(path = {"/uploads/{fileId}/complete", "/owners/{owner}/uploads/{fileId}/complete"},
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CompletedResponse> complete(Owner owner, @PathVariable("fileId") String fileIdText, @RequestBody JsonNode body) {
        FileId fileId = requestedFileId(fileIdText);
        CompletionRequest request = MultipartRequests.completion(body);
        uploads.complete(owner, fileId, request.uploadId(), request.parts());
        log.atInfo().addKeyValue("parts", request.parts().size()).log("multipart upload completed");
        return ResponseEntity.ok(new CompletedResponse(fileId.value(), "processing"));
    }

    @DeleteMapping({"/uploads/{fileId}", "/owners/{owner}/uploads/{fileId}"})
    ResponseEntity<Void> abort(Owner owner, @PathVariable("fileId") String fileIdText,
            @RequestParam(name = "uploadId", required = false) String uploadIdParameter) {
        FileId fileId = requestedFileId(fileIdText);
        uploads.abort(owner, fileId, MultipartRequests.uploadIdParameter(uploadIdParameter));
        log.atInfo().log("multipart upload aborted");
        return ResponseEntity.noContent().build();
    }

    private static FileId requestedFileId(String text) {
        FileId fileId = FileId.parse(text).orElseThrow(() -> new NotFoundException("No such upload."));
        MDC.put("fileId", fileId.value());
        return fileId;
    }
}
