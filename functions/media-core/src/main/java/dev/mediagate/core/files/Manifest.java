package dev.mediagate.core.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code variants/{owner}/{fileId}/manifest.json}: written last by the resizer, so its presence means processing
 * finished. {@code source.filename} (the upload's display name) and {@code source.frames}/{@code source.animated}
 * (animated sources: only the first frame becomes variants) extend the contract.
 */
public record Manifest(int version, String fileId, String status, String reason, Source source,
        Map<String, VariantEntry> variants, String placeholder, String processedAt) {

    public static final int VERSION = 1;
    public static final String READY = "ready";
    public static final String REJECTED = "rejected";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public Manifest {
        variants = variants == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variants));
    }

    public record Source(String key, String etag, String filename, String contentType, long size, Integer width, Integer height,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer frames,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean animated) {
    }

    public record VariantEntry(String key, int width, int height, String contentType, long size) {
    }

    public boolean isReady() {
        return READY.equals(status);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest cannot be serialised", e);
        }
    }

    public static Manifest fromJson(byte[] json) {
        try {
            return JSON.readValue(json, Manifest.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("manifest is not valid JSON: " + new String(json, 0, Math.min(json.length, 80), StandardCharsets.UTF_8), e);
        }
    }
}
