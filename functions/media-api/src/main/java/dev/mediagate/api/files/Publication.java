package dev.mediagate.api.files;

import dev.mediagate.api.cdn.CdnInvalidator;
import dev.mediagate.api.web.ConflictException;
import dev.mediagate.api.web.NotFoundException;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.files.Visibility;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes who sees a file's variants. The private copies under {@code variants/} are the file's own and never move;
 * publishing copies them to {@code public/} (inside S3) and only then points the manifest there, so a public URL is
 * never handed out before it serves. Unpublishing first points the manifest back, marked pending, then deletes the
 * published copies, invalidates them at the CDN and clears the mark. Each step can be repeated: a change that died
 * half-way is finished by the next request for the same visibility.
 */
class Publication {

    private static final Logger log = LoggerFactory.getLogger(Publication.class);

    private final FileCatalog catalog;
    private final CdnInvalidator invalidator;
    private final Clock clock;

    Publication(FileCatalog catalog, CdnInvalidator invalidator, Clock clock) {
        this.catalog = catalog;
        this.invalidator = invalidator;
        this.clock = clock;
    }

    /** When a change happened, as the manifest records it and its event carries it. */
    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Names one change of visibility: its event's id is derived from it (never from the time alone). */
    private static String newChangeId() {
        return UUID.randomUUID().toString();
    }

    /** The manifest after the change; 404 without a file, 409 while it is not ready. */
    Manifest change(Owner owner, FileId fileId, Visibility target) {
        Manifest current = catalog.manifest(owner, fileId).orElseThrow(() -> catalog.original(owner, fileId).isPresent()
                ? new ConflictException("The file is still being processed; its visibility can change once it is ready.")
                : new NotFoundException());
        if (!current.isReady()) {
            throw new ConflictException("The file was rejected; only a ready file's visibility can change.");
        }
        Manifest changed = target == Visibility.PUBLIC ? publish(owner, fileId, current) : unpublish(owner, fileId, current);
        if (current.visibilityValue() != target) {
            log.atInfo().addKeyValue("fileId", fileId.value()).addKeyValue("visibility", target.code()).log("visibility changed");
        }
        return changed;
    }

    private Manifest publish(Owner owner, FileId fileId, Manifest current) {
        if (current.visibilityValue() == Visibility.PUBLIC && !current.isUnpublishPending()) {
            return current;
        }
        for (Manifest.VariantEntry variant : current.variants().values()) {
            for (String key : variant.keys()) {
                String privateKey = MediaKeys.unpublished(key);
                catalog.copy(privateKey, MediaKeys.published(privateKey));
            }
        }
        Manifest published = current.withVisibility(Visibility.PUBLIC, false, now(), newChangeId());
        catalog.putManifest(owner, fileId, published);
        return published;
    }

    private Manifest unpublish(Owner owner, FileId fileId, Manifest current) {
        // A new change, or the one a pending manifest records, finished now: it keeps its time and id.
        boolean startsAChange = current.visibilityValue() == Visibility.PUBLIC;
        String changedAt = startsAChange ? now() : current.visibilityChangedAt();
        String changeId = startsAChange ? newChangeId() : current.visibilityChangeId();
        Manifest pending = current.withVisibility(Visibility.PRIVATE, true, changedAt, changeId);
        boolean wasPublished = current.visibilityValue() == Visibility.PUBLIC || current.isUnpublishPending();
        if (current.visibilityValue() == Visibility.PUBLIC) {
            catalog.putManifest(owner, fileId, pending);
        }
        // Also finds copies a publication that died before its manifest was written left behind.
        List<String> published = catalog.keysUnder(MediaKeys.publicPrefix(owner, fileId));
        catalog.deleteAll(published);
        if (wasPublished || !published.isEmpty()) {
            invalidator.invalidatePublished(owner, fileId);
        }
        Manifest done = current.withVisibility(Visibility.PRIVATE, false, changedAt, changeId);
        if (wasPublished) {
            catalog.putManifest(owner, fileId, done);
        }
        return done;
    }
}
