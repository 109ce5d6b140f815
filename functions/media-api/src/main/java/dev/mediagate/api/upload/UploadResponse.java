package dev.mediagate.api.upload;

import java.time.Instant;
import java.util.Map;

/** The {@code 201} body of {@code POST /uploads}, as the contract spells it. */
record UploadResponse(String fileId, String status, Upload upload) {

    record Upload(String method, String url, Instant expiresAt, Map<String, String> headers) {
    }

    static UploadResponse of(UploadTicket ticket) {
        return new UploadResponse(ticket.fileId().value(), "awaiting-upload",
                new Upload("PUT", ticket.url(), ticket.expiresAt(), ticket.headers()));
    }
}
