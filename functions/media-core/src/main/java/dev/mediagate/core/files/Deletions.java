package dev.mediagate.core.files;

import dev.mediagate.core.aws.S3Clients;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What makes a {@code DELETE} final. The API writes the file's deletion marker before it removes anything; a
 * processing run checks it before it announces anything and again after its last write, and removes what it wrote
 * when the marker is there; the publisher announces nothing for a marked file but its deletion. A run that checked
 * before the marker was written wrote everything before it too, so the delete's own listing finds and removes it.
 * The marker outlives any run (a run lasts at most the resizer's timeout): the bucket's lifecycle rule removes it after
 * a day.
 */
public final class Deletions {

    private Deletions() {
    }

    public static void mark(S3Client s3, String bucket, Owner owner, FileId fileId) {
        s3.putObject(put -> put.bucket(bucket).key(MediaKeys.deletionMarker(owner, fileId)).contentType("text/plain"),
                RequestBody.fromString("deleted"));
    }

    /** Needs s3:ListBucket on {@code deletions/} so that a missing marker answers 404, not 403. */
    public static boolean isMarked(S3Client s3, String bucket, Owner owner, FileId fileId) {
        return S3Clients.headIfExists(s3, bucket, MediaKeys.deletionMarker(owner, fileId)).isPresent();
    }
}
