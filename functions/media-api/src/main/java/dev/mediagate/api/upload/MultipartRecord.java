package dev.mediagate.api.upload;

import java.time.Instant;

/**
 * What the API keeps of a multipart upload under {@code uploads/{owner}/{fileId}.json}: S3 does not give back an upload's
 * declared size, and the layout must not change between the calls that sign its parts and the one that completes it.
 */
record MultipartRecord(int version, String uploadId, long size, long partSize, Instant createdAt, Instant expiresAt) {

    static final int VERSION = 1;

    PartLayout layout() {
        return new PartLayout(size, partSize);
    }
}
