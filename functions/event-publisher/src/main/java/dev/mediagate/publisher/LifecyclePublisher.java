package dev.mediagate.publisher;

import dev.mediagate.core.aws.S3Clients;
import dev.mediagate.core.events.EventSink;
import dev.mediagate.core.events.FileEvent;
import dev.mediagate.core.events.FileEvents;
import dev.mediagate.core.files.Deletions;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.MediaKeys.OriginalKey;
import dev.mediagate.core.files.Visibility;
import dev.mediagate.core.upload.Filenames;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Turns what happened in the bucket into events, from the state S3 holds now: a manifest written (the resizer's verdict
 * or a visibility change), an original deleted (the file is gone), the resizer giving up. Every event is rebuilt the
 * same way on a redelivery, so a retry publishes it again with the same id: none is lost, duplicates are allowed.
 */
final class LifecyclePublisher {

    private final S3Client s3;
    private final String bucket;
    private final String cdnBaseUrl;
    private final EventSink events;

    LifecyclePublisher(S3Client s3, String bucket, String cdnBaseUrl, EventSink events) {
        this.s3 = s3;
        this.bucket = bucket;
        this.cdnBaseUrl = cdnBaseUrl;
        this.events = events;
    }

    /**
     * {@code file.ready}, {@code file.rejected} or {@code file.visibility-changed}; nothing once the file is deleted: a
     * run that wrote its manifest after the delete began (it removes it again) must not announce it after
     * {@code file.deleted}.
     */
    Optional<FileEvent> manifestWritten(String key) {
        Optional<OriginalKey> file = MediaKeys.parseManifest(key);
        if (file.isEmpty() || isDeleted(file.get())) {
            return Optional.empty();
        }
        Optional<FileEvent> event = manifest(file.get())
                .map(found -> FileEvents.fromManifest(file.get().owner(), file.get().fileId(), found, cdnBaseUrl));
        event.ifPresent(events::publish);
        return event;
    }

    /** {@code file.deleted}: the original goes last when a file is deleted. */
    Optional<FileEvent> originalRemoved(String key, String sequencer, String eventTime) {
        Optional<OriginalKey> file = MediaKeys.parseOriginal(key);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        FileEvent event = FileEvents.deleted(file.get().owner(), file.get().fileId(), sequencer, eventTime);
        events.publish(event);
        return Optional.of(event);
    }

    /**
     * {@code file.failed} for an original the resizer gave up on, unless a manifest exists after all (its own
     * notification announced the verdict) or the original is gone (deleted meanwhile: {@code file.deleted} says so).
     */
    Optional<FileEvent> processingFailed(String key, String etag, String failedAt, String reason) {
        Optional<OriginalKey> file = MediaKeys.parseOriginal(key);
        if (file.isEmpty() || isDeleted(file.get()) || manifest(file.get()).isPresent()) {
            return Optional.empty();
        }
        Optional<HeadObjectResponse> head = S3Clients.headIfExists(s3, bucket, key);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        FileEvent event = FileEvents.failed(file.get().owner(), file.get().fileId(), etag, failedAt, reason,
                Visibility.fromStored(head.get().metadata().get("visibility")).code(),
                Filenames.percentDecode(head.get().metadata().getOrDefault("filename", "")), head.get().contentType(),
                head.get().contentLength());
        events.publish(event);
        return Optional.of(event);
    }

    private boolean isDeleted(OriginalKey file) {
        return Deletions.isMarked(s3, bucket, file.owner(), file.fileId());
    }

    private Optional<Manifest> manifest(OriginalKey file) {
        return Manifest.read(s3, bucket, MediaKeys.manifest(file.owner(), file.fileId()));
    }
}
