package dev.mediagate.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import dev.mediagate.core.files.FileStatus;
import java.util.Map;

/**
 * One change in a file's life, as the contract's "Events" section spells it: on the stack's EventBridge bus
 * ({@code DetailType} = {@link #type()}, {@code Detail} = {@link #toJson()}) and as a webhook body. The same change
 * always gets the same {@link #id()} (consumers deduplicate by it) and {@link #timestamp()} (when it happened, so a
 * consumer can ignore an older one). Never a signed URL, a token or a secret.
 */
@JsonPropertyOrder({"type", "id", "timestamp", "data"})
public record FileEvent(String type, String id, String timestamp, Data data) {

    public static final String UPLOADED = "file.uploaded";
    public static final String READY = "file.ready";
    public static final String REJECTED = "file.rejected";
    public static final String FAILED = "file.failed";
    public static final String VISIBILITY_CHANGED = "file.visibility-changed";
    public static final String DELETED = "file.deleted";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The file as it stands after the change; {@code null} fields are sent as {@code null}, as the contract shows, but
     * for a ready image's {@code thumbhash}, {@code dominantColor} and {@code animated}, which only its events carry.
     */
    @JsonPropertyOrder({"owner", "fileId", "status", "visibility", "filename", "contentType", "size", "width", "height", "reason",
            "variants", "thumbhash", "dominantColor", "animated"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Data(String owner, String fileId, FileStatus status, String visibility, String filename, String contentType,
            Long size, Integer width, Integer height, String reason, Map<String, Variant> variants,
            @JsonInclude(JsonInclude.Include.NON_NULL) String thumbhash,
            @JsonInclude(JsonInclude.Include.NON_NULL) String dominantColor,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean animated) {

        /** A file that is not (yet) a ready image. */
        public Data(String owner, String fileId, FileStatus status, String visibility, String filename, String contentType,
                Long size, Integer width, Integer height, String reason, Map<String, Variant> variants) {
            this(owner, fileId, status, visibility, filename, contentType, size, width, height, reason, variants, null, null, null);
        }
    }

    /** A variant's shape; {@code url} only for a public file (a plain, stable CDN URL), otherwise left out. */
    @JsonPropertyOrder({"width", "height", "contentType", "size", "url"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Variant(int width, int height, String contentType, long size, String url) {
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event cannot be serialised", e);
        }
    }

    public String toJsonString() {
        return new String(toJson(), StandardCharsets.UTF_8);
    }

    public static FileEvent fromJson(byte[] json) {
        try {
            return JSON.readValue(json, FileEvent.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a mediagate event", e);
        }
    }
}
