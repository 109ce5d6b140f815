package dev.mediagate.api.upload;

import java.time.Instant;
import java.util.Map;

/** The {@code 201} body of {@code POST /uploads}, as the contract spells it: one presigned PUT, or a multipart upload. */
record UploadResponse(String fileId, String status, Upload upload) {

    sealed interface Upload permits SinglePut, Multipart {
    }

    record SinglePut(String method, String url, Instant expiresAt, Map<String, String> headers) implements Upload {
    }

    /** Parts of {@code partSize} bytes, the last one the remainder; resumable until {@code expiresAt}. */
    record Multipart(String method, String uploadId, long partSize, int partCount, Instant expiresAt) implements Upload {
    }

    static UploadResponse of(UploadTicket ticket) {
        return new UploadResponse(ticket.fileId().value(), "awaiting-upload",
                new SinglePut("PUT", ticket.url(), ticket.expiresAt(), ticket.headers()));
    }

    static UploadResponse of(MultipartUploads.Started started) {
        return new UploadResponse(started.fileId().value(), "awaiting-upload", new Multipart("multipart",
                started.uploadId(), started.layout().partSize(), started.layout().partCount(), started.expiresAt()));
    }
}
