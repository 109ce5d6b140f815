package dev.mediagate.resizer;

import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys.OriginalKey;
import dev.mediagate.core.files.Visibility;
import dev.mediagate.core.upload.Filenames;
import dev.mediagate.imaging.NativeBytes;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The media bucket as a processing run sees it: every read and write {@link MediaProcessor} makes, and nothing it
 * decides. {@link S3MediaBucket} is the real one; tests use an in-memory one to run the decision flow in milliseconds.
 * S3 trouble throws (a retry can cure it); "not there" is an empty answer, never an exception.
 */
interface MediaBucket {

    /** The bucket's name: a notification or a task naming another bucket is not for this stack. */
    String name();

    /** An original as its {@code HEAD} shows it; {@code etagHeader} as S3 sent it (quoted), for {@code If-Match}. */
    record Original(String key, String etagHeader, Instant lastModified, String contentType, long size,
            Map<String, String> metadata) {

        public Original {
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }

        /** The ETag as manifests and events name it: without quotes. */
        String etag() {
            return etagHeader == null ? "" : etagHeader.replace("\"", "");
        }

        /** The visibility the upload was signed with (absent: private). */
        Visibility uploadedVisibility() {
            return Visibility.fromStored(metadata.get("visibility"));
        }

        /** The upload's display name. */
        String filename() {
            return Filenames.percentDecode(metadata.getOrDefault("filename", ""));
        }
    }

    /** Empty when the original is gone. */
    Optional<Original> head(String key);

    /**
     * The original's bytes (its first {@code firstBytes} only when not null), straight into native memory, and only while
     * it is still the object that was read ({@code If-Match}).
     */
    NativeBytes read(Original original, Long firstBytes) throws IOException;

    /** The file's manifest with its ETag; empty when there is none. @throws IllegalStateException when unreadable */
    Optional<Manifest.Stored> manifest(OriginalKey file);

    /** The file's manifest, empty when there is none or it is unreadable (a check that must not fail on it). */
    default Optional<Manifest> readableManifest(OriginalKey file) {
        try {
            return manifest(file).map(Manifest.Stored::manifest);
        } catch (IllegalStateException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Writes the manifest only over {@code replacing} (or only where none is); empty when another writer came first.
     * See {@link Manifest#putIfUnchanged}.
     */
    Optional<Manifest.Stored> writeManifest(OriginalKey file, Manifest manifest, Optional<Manifest.Stored> replacing);

    /** Whether the file's deletion marker is there (a {@code DELETE} started). */
    boolean isDeleted(OriginalKey file);

    /** One variant object (immutable, cached a year by whoever serves it). */
    void putVariant(String key, String contentType, byte[] bytes);

    /** Copies {@code from} to {@code to} as it is (a public copy made again from the private variant). */
    void copy(String from, String to);

    void delete(String key);

    /**
     * Removes what a failed run wrote: every key is tried, and a failure to remove one is added to {@code cause} (which
     * the caller then throws), not thrown instead of it.
     */
    default void rollBack(List<String> written, RuntimeException cause) {
        for (String key : written) {
            try {
                delete(key);
            } catch (RuntimeException cleanupFailure) {
                cause.addSuppressed(cleanupFailure);
            }
        }
    }

    /** Everything under the file's {@code variants/} and {@code public/} prefixes (the file was deleted meanwhile). */
    void removeEverything(OriginalKey file);

    /**
     * Marks a previous generation's object for the lifecycle rule (tag and {@code superseded-at}, creation time restarted);
     * false when it is gone.
     */
    boolean markSuperseded(String key, String contentType, String now);

    /**
     * Tags a rejected original so the lifecycle rule expires it, keeping its other tags (GuardDuty's verdict); a store
     * without tags (or an original gone) is fine.
     */
    void tagRejected(String key);

    /**
     * The {@code GuardDutyMalwareScanStatus} tag GuardDuty Malware Protection put on the original with its verdict;
     * empty while it has none (not scanned yet, or a store without tags).
     */
    Optional<String> malwareScanStatus(String key);

    /** Removes the rejected mark of an original whose file is ready now (reprocessed), keeping its other tags. */
    void clearRejected(String key);
}
