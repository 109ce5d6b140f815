package dev.mediagate.core.events;

import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.FileStatus;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.files.Visibility;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds each event from the state the change left behind, never from a process's memory: a retry, a redelivered S3
 * notification or a replay from the failure queue rebuilds the same event with the same id.
 */
public final class FileEvents {

    private FileEvents() {
    }

    /** The original landed ({@code discriminator}: its ETag). */
    public static FileEvent uploaded(Owner owner, FileId fileId, String etag, String occurredAt, String visibility,
            String filename, String contentType, long size) {
        return new FileEvent(FileEvent.UPLOADED, id(FileEvent.UPLOADED, owner, fileId, etag), occurredAt,
                new FileEvent.Data(owner.value(), fileId.value(), FileStatus.PROCESSING, visibility, filename, contentType, size, null, null,
                        null, null));
    }

    /**
     * What a manifest write announces: {@code file.visibility-changed} when a visibility change wrote it, otherwise the
     * resizer's verdict, {@code file.ready} or {@code file.rejected}.
     */
    public static FileEvent fromManifest(Owner owner, FileId fileId, Manifest manifest, String cdnBaseUrl) {
        boolean changed = manifest.visibilityChangedAt() != null;
        String type = changed ? FileEvent.VISIBILITY_CHANGED : manifest.isReady() ? FileEvent.READY : FileEvent.REJECTED;
        // A change's own id: its time alone (seconds) would give public → private → public within a second the first
        // change's id again, which consumers would drop as a duplicate. Manifests written before changes had ids keep
        // the time-based one, so a redelivery still gets the id it had.
        // A reprocessing's verdict is a change of its own: its generation tells it from the first verdict of the same bytes.
        String discriminator = !changed ? manifest.source().etag() + (manifest.generation() == null ? "" : " " + manifest.generation())
                : manifest.visibilityChangeId() != null ? "change " + manifest.visibilityChangeId()
                : manifest.visibility() + "@" + manifest.visibilityChangedAt();
        String occurredAt = changed ? manifest.visibilityChangedAt() : manifest.processedAt();
        Map<String, FileEvent.Variant> variants = null;
        if (manifest.isReady() && manifest.source().width() != null) {
            variants = new LinkedHashMap<>();
            boolean published = manifest.visibilityValue() == Visibility.PUBLIC;
            for (var entry : manifest.variants().entrySet()) {
                Manifest.VariantEntry variant = entry.getValue();
                variants.put(entry.getKey(), new FileEvent.Variant(variant.width(), variant.height(), variant.contentType(),
                        variant.size(), published && variant.key().startsWith(MediaKeys.PUBLIC_PREFIX)
                                ? cdnBaseUrl + "/" + variant.key() : null));
            }
        }
        Manifest.Source source = manifest.source();
        return new FileEvent(type, id(type, owner, fileId, discriminator), occurredAt, new FileEvent.Data(owner.value(),
                fileId.value(), manifest.status(), manifest.visibility(), source.filename(), source.contentType(), source.size(),
                manifest.isReady() ? source.width() : null, manifest.isReady() ? source.height() : null, manifest.reason(),
                variants, variants != null ? manifest.thumbhash() : null, variants != null ? manifest.dominantColor() : null,
                variants != null && manifest.thumbhash() != null ? Boolean.TRUE.equals(manifest.animated()) : null));
    }

    /** The original is gone: the file was deleted ({@code discriminator}: S3's sequencer of the delete). */
    public static FileEvent deleted(Owner owner, FileId fileId, String sequencer, String occurredAt) {
        return new FileEvent(FileEvent.DELETED, id(FileEvent.DELETED, owner, fileId, sequencer), occurredAt,
                new FileEvent.Data(owner.value(), fileId.value(), FileStatus.DELETED, null, null, null, null, null, null, null, null));
    }

    /** Processing gave up after Lambda's retries ({@code discriminator}: the original's ETag). */
    public static FileEvent failed(Owner owner, FileId fileId, String etag, String occurredAt, String reason, String visibility,
            String filename, String contentType, Long size) {
        return new FileEvent(FileEvent.FAILED, id(FileEvent.FAILED, owner, fileId, etag), occurredAt,
                new FileEvent.Data(owner.value(), fileId.value(), FileStatus.FAILED, visibility, filename, contentType, size, null, null,
                        reason, null));
    }

    /** {@code evt_} and 128 bits of SHA-256 over what identifies the change, in lower-case hex. */
    static String id(String type, Owner owner, FileId fileId, String discriminator) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((type + "\n" + owner.value() + "\n" + fileId.value() + "\n"
                    + discriminator).getBytes(StandardCharsets.UTF_8));
            return "evt_" + java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
