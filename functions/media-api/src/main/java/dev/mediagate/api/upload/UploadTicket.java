package dev.mediagate.api.upload;

import dev.mediagate.core.files.FileId;
import java.time.Instant;
import java.util.Map;

/** A signed upload: where to PUT, until when, and the exact headers the signature covers. */
record UploadTicket(FileId fileId, String url, Instant expiresAt, Map<String, String> headers) {
}
