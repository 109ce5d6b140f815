package dev.mediagate.api.files;

import dev.mediagate.api.cdn.CdnInvalidator;
import dev.mediagate.api.web.ConflictException;
import dev.mediagate.api.web.NotFoundException;
import dev.mediagate.api.web.TooManyChangesException;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.core.files.Visibility;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes who sees a file's variants. The private copies under {@code variants/} are the file's own and never move;
 * publishing copies them to {@code public/} (inside S3) and only then points the manifest there, so a public URL is
 * never handed out before it serves. Unpublishing first points the manifest back, marked pending, then deletes the
 * published copies, invalidates them at the CDN and clears the mark. Each step can be repeated: a change that died
 * half-way is finished by the next request for the same visibility.
 *
 * <p>Every manifest write replaces exactly the manifest it read ({@code If-Match}): when a processing run, another
 * change or a delete came in between, the change starts again from what stands, so it is never undone by a write
 * based on an older state. A change that ends to find the file deleted removes the public copies it made.
 */
class Publication {

    private static final Logger log = LoggerFactory.getLogger(Publication.class);
    /** Changes of one file racing each other: each lost attempt means another writer finished in between. */
    static final int ATTEMPTS = 3;
    /**
     * At most this many changes of one file within {@link #WINDOW}: each unpublish has the CDN invalidate the file's
     * paths, and one user flipping a file must not use up the distribution's invalidations for everyone.
     */
    static final int CHANGES_PER_WINDOW = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** The manifest object's user metadata that keeps the times (epoch milliseconds) of the file's last changes. */
    static final String CHANGES_METADATA = "changes";

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
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Manifest.Stored read = catalog.storedManifest(owner, fileId).orElseThrow(() -> catalog.original(owner, fileId).isPresent()
                    ? new ConflictException("The file is still being processed; its visibility can change once it is ready.")
                    : new NotFoundException());
            Manifest current = read.manifest();
            if (!current.isReady()) {
                throw new ConflictException("The file was rejected; only a ready file's visibility can change.");
            }
            boolean isAChange = target == Visibility.PUBLIC
                    ? current.visibilityValue() != Visibility.PUBLIC || current.isUnpublishPending()
                    : current.visibilityValue() == Visibility.PUBLIC;
            Map<String, String> metadata = isAChange ? countedChange(read) : read.metadata();
            Optional<Manifest> changed = target == Visibility.PUBLIC ? publish(owner, fileId, read, metadata)
                    : unpublish(owner, fileId, read, metadata);
            if (catalog.isDeleted(owner, fileId)) {
                // A DELETE began meanwhile and may have listed public/ before this change copied into it.
                catalog.deleteAll(catalog.keysUnder(MediaKeys.publicPrefix(owner, fileId)));
                throw new NotFoundException();
            }
            if (changed.isPresent()) {
                if (current.visibilityValue() != target) {
                    log.atInfo().addKeyValue("fileId", fileId.value()).addKeyValue("visibility", target.code()).log("visibility changed");
                }
                return changed.get();
            }
            log.atInfo().addKeyValue("fileId", fileId.value()).addKeyValue("attempt", attempt)
                    .log("the manifest changed during a visibility change: starting again from what stands");
        }
        throw new ConflictException("The file kept changing while its visibility was being changed; send the request again.");
    }

    /**
     * The manifest with the file's focal point set (null: none), written over exactly the manifest read and counted as
     * a change (10 a minute); 404 without a file, 409 while it is not ready. Setting the focus it already has changes
     * nothing. The cover variants are made again by the resizer afterwards (the caller queues it): until then the
     * manifest names the focus while its variants and recipe are the previous ones, so the file is stale.
     */
    Manifest changeFocus(Owner owner, FileId fileId, Recipe.Focus focus) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Manifest.Stored read = catalog.storedManifest(owner, fileId).orElseThrow(() -> catalog.original(owner, fileId).isPresent()
                    ? new ConflictException("The file is still being processed; its focus can change once it is ready.")
                    : new NotFoundException());
            Manifest current = read.manifest();
            if (!current.isReady()) {
                throw new ConflictException("The file was rejected; only a ready file's focus can change.");
            }
            if (java.util.Objects.equals(current.focus(), focus)) {
                return current;
            }
            Manifest changed = current.withFocus(focus);
            Optional<Manifest.Stored> written = catalog.replaceManifest(owner, fileId, read, changed, countedChange(read));
            if (catalog.isDeleted(owner, fileId)) {
                throw new NotFoundException();
            }
            if (written.isPresent()) {
                log.atInfo().addKeyValue("fileId", fileId.value()).log("focus changed");
                return changed;
            }
            log.atInfo().addKeyValue("fileId", fileId.value()).addKeyValue("attempt", attempt)
                    .log("the manifest changed during a focus change: starting again from what stands");
        }
        throw new ConflictException("The file kept changing while its focus was being changed; send the request again.");
    }

    /**
     * The manifest's metadata with this change counted; {@code 429} when the file already changed
     * {@link #CHANGES_PER_WINDOW} times within the last {@link #WINDOW}, with the time until the oldest of them leaves it.
     */
    private Map<String, String> countedChange(Manifest.Stored read) {
        Instant now = clock.instant();
        List<Instant> recent = new ArrayList<>();
        for (String millis : read.metadata().getOrDefault(CHANGES_METADATA, "").split(",")) {
            try {
                Instant at = Instant.ofEpochMilli(Long.parseLong(millis.trim()));
                if (at.isAfter(now.minus(WINDOW))) {
                    recent.add(at);
                }
            } catch (NumberFormatException notATime) {
                // Nothing recorded yet (or not by this code): nothing to count.
            }
        }
        recent.sort(null);
        if (recent.size() >= CHANGES_PER_WINDOW) {
            Instant oldest = recent.get(recent.size() - CHANGES_PER_WINDOW);
            throw new TooManyChangesException("This file changed " + CHANGES_PER_WINDOW
                    + " times within a minute; it can change again after Retry-After seconds.", Duration.between(now, oldest.plus(WINDOW)));
        }
        recent.add(now);
        Map<String, String> metadata = new HashMap<>(read.metadata());
        metadata.put(CHANGES_METADATA, String.join(",", recent.stream().map(at -> Long.toString(at.toEpochMilli())).toList()));
        return metadata;
    }

    /** Where each of the manifest's variants is, or would be, published. */
    static List<String> publishedKeys(Manifest manifest) {
        return manifest.variants().values().stream().flatMap(variant -> variant.keys().stream())
                .map(key -> MediaKeys.published(MediaKeys.unpublished(key))).toList();
    }

    /** Empty when the manifest read is no longer the one that stands. */
    private Optional<Manifest> publish(Owner owner, FileId fileId, Manifest.Stored read, Map<String, String> metadata) {
        Manifest current = read.manifest();
        if (current.visibilityValue() == Visibility.PUBLIC && !current.isUnpublishPending()) {
            return Optional.of(current);
        }
        List<String> publishedKeys = publishedKeys(current);
        publishedKeys.forEach(key -> catalog.copy(MediaKeys.unpublished(key), key));
        Manifest published = current.withVisibility(Visibility.PUBLIC, false, now(), newChangeId());
        if (catalog.replaceManifest(owner, fileId, read, published, metadata).isEmpty()) {
            return Optional.empty();
        }
        // A processing run that lost its manifest write to a private manifest removes the public copies it wrote, and
        // may have done so while these were being made: any missing now is copied again. Listed, not read: only the
        // CDN reads public/.
        List<String> present = catalog.keysUnder(MediaKeys.publicPrefix(owner, fileId));
        publishedKeys.stream().filter(key -> !present.contains(key)).forEach(key -> catalog.copy(MediaKeys.unpublished(key), key));
        return Optional.of(published);
    }

    /** Empty when the manifest read is no longer the one that stands. */
    private Optional<Manifest> unpublish(Owner owner, FileId fileId, Manifest.Stored read, Map<String, String> metadata) {
        Manifest current = read.manifest();
        // A new change, or the one a pending manifest records, finished now: it keeps its time and id.
        boolean startsAChange = current.visibilityValue() == Visibility.PUBLIC;
        String changedAt = startsAChange ? now() : current.visibilityChangedAt();
        String changeId = startsAChange ? newChangeId() : current.visibilityChangeId();
        boolean wasPublished = startsAChange || current.isUnpublishPending();
        Manifest.Stored base = read;
        if (startsAChange) {
            Optional<Manifest.Stored> pending = catalog.replaceManifest(owner, fileId, read,
                    current.withVisibility(Visibility.PRIVATE, true, changedAt, changeId), metadata);
            if (pending.isEmpty()) {
                return Optional.empty();
            }
            base = pending.get();
        }
        // Also finds copies a publication that died before its manifest was written left behind.
        List<String> published = catalog.keysUnder(MediaKeys.publicPrefix(owner, fileId));
        catalog.deleteAll(published);
        if (wasPublished || !published.isEmpty()) {
            // Every path the CDN may hold: what was listed, and what the manifest named (a copy removed earlier).
            invalidator.invalidate(owner, fileId, java.util.stream.Stream.concat(published.stream(), publishedKeys(current).stream()).toList());
        }
        Manifest done = current.withVisibility(Visibility.PRIVATE, false, changedAt, changeId);
        if (wasPublished && catalog.replaceManifest(owner, fileId, base, done, metadata).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(done);
    }
}
