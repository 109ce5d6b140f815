package dev.mediagate.api.upload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.api.upload.MultipartUploads.ClientPart;
import dev.mediagate.api.upload.MultipartUploads.SignedParts;
import dev.mediagate.api.upload.MultipartUploads.StoredPart;
import dev.mediagate.api.web.NotFoundException;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.upload.FieldError;
import dev.mediagate.core.upload.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
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
    /** At most this many part URLs per call: a page of URLs, as a client asks for them while it sends. */
    static final int MAX_PARTS_PER_CALL = 100;
    /** S3's upload ids are URL-safe text; anything else cannot name one. */
    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9._~+/=-]{1,1024}");

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
        object(body);
        List<FieldError> errors = new ArrayList<>();
        String uploadId = uploadId(body.get("uploadId"), errors);
        List<Integer> partNumbers = partNumbers(body.get("partNumbers"), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The request has invalid fields.", errors);
        }
        SignedParts signed = uploads.sign(owner, fileId, uploadId, partNumbers);
        log.atInfo().addKeyValue("parts", partNumbers.size()).log("part URLs issued");
        return ResponseEntity.ok().header("Cache-Control", "private, no-store")
                .body(new PartsResponse(signed.parts(), signed.expiresAt()));
    }

    @GetMapping(path = {"/uploads/{fileId}/parts", "/owners/{owner}/uploads/{fileId}/parts"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<StoredPartsResponse> storedParts(Owner owner, @PathVariable("fileId") String fileIdText,
            @RequestParam(name = "uploadId", required = false) String uploadIdParameter) {
        FileId fileId = requestedFileId(fileIdText);
        String uploadId = uploadIdParameter(uploadIdParameter);
        return ResponseEntity.ok().header("Cache-Control", "private, no-store")
                .body(new StoredPartsResponse(uploads.parts(owner, fileId, uploadId)));
    }

    @PostMapping(path = {"/uploads/{fileId}/complete", "/owners/{owner}/uploads/{fileId}/complete"},
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CompletedResponse> complete(Owner owner, @PathVariable("fileId") String fileIdText, @RequestBody JsonNode body) {
        FileId fileId = requestedFileId(fileIdText);
        object(body);
        List<FieldError> errors = new ArrayList<>();
        String uploadId = uploadId(body.get("uploadId"), errors);
        List<ClientPart> parts = clientParts(body.get("parts"), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The request has invalid fields.", errors);
        }
        uploads.complete(owner, fileId, uploadId, parts);
        log.atInfo().addKeyValue("parts", parts.size()).log("multipart upload completed");
        return ResponseEntity.ok(new CompletedResponse(fileId.value(), "processing"));
    }

    @DeleteMapping({"/uploads/{fileId}", "/owners/{owner}/uploads/{fileId}"})
    ResponseEntity<Void> abort(Owner owner, @PathVariable("fileId") String fileIdText,
            @RequestParam(name = "uploadId", required = false) String uploadIdParameter) {
        FileId fileId = requestedFileId(fileIdText);
        uploads.abort(owner, fileId, uploadIdParameter(uploadIdParameter));
        log.atInfo().log("multipart upload aborted");
        return ResponseEntity.noContent().build();
    }

    private static FileId requestedFileId(String text) {
        FileId fileId = FileId.parse(text).orElseThrow(() -> new NotFoundException("No such upload."));
        MDC.put("fileId", fileId.value());
        return fileId;
    }

    private static void object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.", List.of());
        }
    }

    private static String uploadIdParameter(String value) {
        List<FieldError> errors = new ArrayList<>();
        String uploadId = value == null ? missing("uploadId", errors) : checkedUploadId(value, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The uploadId query parameter is missing or invalid.", errors);
        }
        return uploadId;
    }

    private static String uploadId(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return missing("uploadId", errors);
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("uploadId", "must be a string"));
            return null;
        }
        return checkedUploadId(node.textValue(), errors);
    }

    private static String checkedUploadId(String value, List<FieldError> errors) {
        if (!UPLOAD_ID.matcher(value).matches()) {
            errors.add(new FieldError("uploadId", "is not an upload id"));
        }
        return value;
    }

    private static String missing(String field, List<FieldError> errors) {
        errors.add(new FieldError(field, "is required"));
        return null;
    }

    private static List<Integer> partNumbers(JsonNode node, List<FieldError> errors) {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_PARTS_PER_CALL) {
            errors.add(new FieldError("partNumbers", "must be an array of 1 to " + MAX_PARTS_PER_CALL + " part numbers"));
            return List.of();
        }
        List<Integer> numbers = new ArrayList<>(node.size());
        Set<Integer> seen = new HashSet<>();
        for (JsonNode item : node) {
            if (!isPartNumber(item)) {
                errors.add(new FieldError("partNumbers", "must hold integers from 1 to " + PartLayout.MAX_PARTS));
                return List.of();
            }
            if (!seen.add(item.intValue())) {
                errors.add(new FieldError("partNumbers", "part " + item.intValue() + " is asked for twice"));
            }
            numbers.add(item.intValue());
        }
        return numbers;
    }

    private static List<ClientPart> clientParts(JsonNode node, List<FieldError> errors) {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > PartLayout.MAX_PARTS) {
            errors.add(new FieldError("parts", "must be an array of 1 to " + PartLayout.MAX_PARTS
                    + " {\"partNumber\", \"etag\"} objects"));
            return List.of();
        }
        List<ClientPart> parts = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            JsonNode etag = item.get("etag");
            if (!item.isObject() || !isPartNumber(item.get("partNumber")) || etag == null || !etag.isTextual()
                    || etag.textValue().isBlank() || etag.textValue().length() > 1024) {
                errors.add(new FieldError("parts", "each part must be {\"partNumber\": 1 to " + PartLayout.MAX_PARTS
                        + ", \"etag\": the ETag S3 answered for it}"));
                return List.of();
            }
            parts.add(new ClientPart(item.get("partNumber").intValue(), etag.textValue()));
        }
        return parts;
    }

    private static boolean isPartNumber(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToInt()
                && node.intValue() >= 1 && node.intValue() <= PartLayout.MAX_PARTS;
    }
}
