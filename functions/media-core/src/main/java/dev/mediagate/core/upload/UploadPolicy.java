package dev.mediagate.core.upload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.core.files.FileType;
import dev.mediagate.core.files.Visibility;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** The rules of {@code POST /uploads}: every field checked, every error reported with the field's name. */
public final class UploadPolicy {

    private final UploadConfig config;

    public UploadPolicy(UploadConfig config) {
        this.config = config;
    }

    public UploadRequest validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.", List.of());
        }
        List<FieldError> errors = new ArrayList<>();
        String filename = filename(body.get("filename"), errors);
        FileType contentType = contentType(body.get("contentType"), errors);
        long size = size(body.get("size"), errors);
        Optional<String> checksum = checksum(body.get("checksumSha256"), errors);
        Visibility visibility = visibility(body.get("visibility"), errors);
        boolean multipart = multipart(body.get("multipart"), errors) || config.needsMultipart(size);
        if (multipart && checksum.isPresent()) {
            // S3 checks a whole-object SHA-256 on a single PUT only; a multipart object's is made of its parts'.
            errors.add(new FieldError("checksumSha256", "cannot be checked by S3 for a multipart upload (above "
                    + config.multipartThresholdBytes() + " bytes or \"multipart\": true): leave it out"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The upload request has invalid fields.", errors);
        }
        return new UploadRequest(filename, contentType, size, checksum, visibility, multipart);
    }

    private static String filename(JsonNode node, List<FieldError> errors) {
        if (isMissing(node)) {
            errors.add(new FieldError("filename", "is required"));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("filename", "must be a string"));
            return null;
        }
        String name = Filenames.sanitize(node.textValue());
        int bytes = Filenames.utf8Length(name);
        if (bytes == 0) {
            errors.add(new FieldError("filename", "must contain a name once path parts and control characters are removed"));
        } else if (bytes > Filenames.MAX_BYTES) {
            errors.add(new FieldError("filename", "must be at most " + Filenames.MAX_BYTES + " UTF-8 bytes, got " + bytes));
        }
        return name;
    }

    private FileType contentType(JsonNode node, List<FieldError> errors) {
        if (isMissing(node)) {
            errors.add(new FieldError("contentType", "is required"));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("contentType", "must be a string"));
            return null;
        }
        Optional<FileType> type = FileType.fromMimeType(node.textValue())
                .filter(t -> !node.textValue().contains(";"))
                .filter(config::allows);
        if (type.isEmpty()) {
            errors.add(new FieldError("contentType", "must be one of " + config.allowedList()));
            return null;
        }
        return type.get();
    }

    private long size(JsonNode node, List<FieldError> errors) {
        if (isMissing(node)) {
            errors.add(new FieldError("size", "is required"));
            return 0;
        }
        if (!node.isIntegralNumber()) {
            errors.add(new FieldError("size", "must be an integer number of bytes"));
            return 0;
        }
        if (!node.canConvertToLong() || node.longValue() < 1 || node.longValue() > config.maxUploadBytes()) {
            errors.add(new FieldError("size", "must be between 1 and " + config.maxUploadBytes() + " bytes"));
            return 0;
        }
        return node.longValue();
    }

    private static Optional<String> checksum(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("checksumSha256", "must be a base64 string"));
            return Optional.empty();
        }
        String text = node.textValue();
        try {
            byte[] digest = Base64.getDecoder().decode(text);
            if (digest.length == 32 && Base64.getEncoder().encodeToString(digest).equals(text)) {
                return Optional.of(text);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the field error below
        }
        errors.add(new FieldError("checksumSha256", "must be the base64 encoding of a 32-byte SHA-256 digest"));
        return Optional.empty();
    }

    private static Visibility visibility(JsonNode node, List<FieldError> errors) {
        if (isMissing(node)) {
            return Visibility.PRIVATE;
        }
        Optional<Visibility> visibility = node.isTextual() ? Visibility.fromCode(node.textValue()) : Optional.empty();
        if (visibility.isEmpty()) {
            errors.add(new FieldError("visibility", "must be \"private\" or \"public\""));
            return Visibility.PRIVATE;
        }
        return visibility.get();
    }

    private static boolean multipart(JsonNode node, List<FieldError> errors) {
        if (isMissing(node)) {
            return false;
        }
        if (!node.isBoolean()) {
            errors.add(new FieldError("multipart", "must be true or false"));
            return false;
        }
        return node.booleanValue();
    }

    private static boolean isMissing(JsonNode node) {
        return node == null || node.isNull();
    }
}
