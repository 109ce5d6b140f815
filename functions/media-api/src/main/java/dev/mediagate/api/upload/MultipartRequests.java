package dev.mediagate.api.upload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.api.upload.MultipartUploads.ClientPart;
import dev.mediagate.core.upload.FieldError;
import dev.mediagate.core.upload.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules of a multipart upload's requests: every field checked, every error reported with the field's name. */
final class MultipartRequests {

    /** At most this many part URLs per call: a page of URLs, as a client asks for them while it sends. */
    static final int MAX_PARTS_PER_CALL = 100;
    /** S3's upload ids are URL-safe text; anything else cannot name one. */
    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9._~+/=-]{1,1024}");

    private MultipartRequests() {
    }

    /** {@code POST …/parts}: {@code {"uploadId", "partNumbers": [1, 2, 3]}}. */
    record PartsRequest(String uploadId, List<Integer> partNumbers) {
    }

    /** {@code POST …/complete}: {@code {"uploadId", "parts": [{"partNumber", "etag"}]}}. */
    record CompletionRequest(String uploadId, List<ClientPart> parts) {
    }

    static PartsRequest parts(JsonNode body) {
        object(body);
        List<FieldError> errors = new ArrayList<>();
        PartsRequest request = new PartsRequest(uploadId(body.get("uploadId"), errors), partNumbers(body.get("partNumbers"), errors));
        valid(errors, "The request has invalid fields.");
        return request;
    }

    static CompletionRequest completion(JsonNode body) {
        object(body);
        List<FieldError> errors = new ArrayList<>();
        CompletionRequest request = new CompletionRequest(uploadId(body.get("uploadId"), errors), clientParts(body.get("parts"), errors));
        valid(errors, "The request has invalid fields.");
        return request;
    }

    /** The {@code uploadId} query parameter of {@code GET …/parts} and {@code DELETE}. */
    static String uploadIdParameter(String value) {
        List<FieldError> errors = new ArrayList<>();
        String uploadId = value == null ? missing("uploadId", errors) : checkedUploadId(value, errors);
        valid(errors, "The uploadId query parameter is missing or invalid.");
        return uploadId;
    }

    private static void valid(List<FieldError> errors, String detail) {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(detail, errors);
        }
    }

    private static void object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.", List.of());
        }
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
