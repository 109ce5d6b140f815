package dev.mediagate.api.files;

import java.time.Instant;
import java.util.Map;

/** The {@code GET /files/{fileId}} body; absent fields are left out, as the contract lists them per status. */
record FileView(String fileId, String status, String filename, String contentType, Long size, Integer width, Integer height,
        String reason, String placeholder, Link original, Map<String, VariantLink> variants, Instant urlsExpireAt) {

    record Link(String url) {
    }

    record VariantLink(String url, int width, int height, String contentType, long size) {
    }
}
