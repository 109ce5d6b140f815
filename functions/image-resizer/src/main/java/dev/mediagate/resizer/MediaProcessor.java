package dev.mediagate.resizer;

import dev.mediagate.core.events.EventSink;
import dev.mediagate.core.events.FileEvents;
import dev.mediagate.core.files.Deletions;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.FileStatus;
import dev.mediagate.core.files.FileType;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.MediaKeys.OriginalKey;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.core.files.Visibility;
import dev.mediagate.core.metrics.Metrics;
import dev.mediagate.imaging.FormatSniffer;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.MediaOutcome;
import dev.mediagate.imaging.NativeBytes;
import dev.mediagate.imaging.RejectionReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One original in, its variants and manifest out: the decisions of a processing run, its reads and writes made through
 * a {@link MediaBucket}. A public upload's variants are also published under {@code public/}, and its manifest's
 * variant keys point there; the private copies under {@code variants/} stay the file's own, so a later change of
 * visibility never has to read what the CDN serves. Bad files end as a {@code rejected} manifest; S3 trouble throws, so
 * the run is retried, and since the manifest is written only after every variant, a failure never leaves a manifest
 * behind.
 *
 * <p>A run never undoes a {@code DELETE} or a visibility change that happened while it ran, or before a repeated run
 * started: it announces nothing for a file marked deleted, writes its manifest only where none is (or only over the one
 * it read), takes the visibility of the manifest that stands over the upload's, removes the public copies it wrote when
 * the manifest that won says private, and after its last write removes everything it wrote if the file was deleted
 * meanwhile (see {@link Deletions}).
 */
final class MediaProcessor implements Reprocessing {

    /** The points between a run's steps where a test stands in for a request arriving at that moment. */
    enum Step {
        /** The original is read and judged; nothing is written yet. */
        ORIGINAL_READ,
        /** Every variant (and public copy) is written; the manifest is not. */
        VARIANTS_WRITTEN,
        /** The manifest write is done, or was refused because another writer came first. */
        MANIFEST_WRITTEN
    }

    /** Called as a run reaches each {@link Step}; nothing in production. */
    @FunctionalInterface
    interface Checkpoints {
        Checkpoints NONE = (step, file) -> { };

        void reached(Step step, OriginalKey file);
    }

    /**
     * Days after which the lifecycle rule deletes a superseded variant: after the longest-lived URL that named it
     * ({@code DOWNLOAD_URL_TTL_SECONDS} at most 7 days, plus rounding).
     */
    static final int SUPERSEDED_EXPIRATION_DAYS = 8;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(MediaProcessor.class);

    private final MediaBucket bucket;
    private final VariantWrites writes;
    private final long maxImageBytes;
    private final ImagePipeline pipeline;
    private final Clock clock;
    private final Metrics metrics;
    private final EventSink events;
    private final Checkpoints checkpoints;
    /**
     * MALWARE_SCANNING=guardduty: a file is first processed on GuardDuty's verdict only. Set once at init, before any
     * run; a run without a verdict (an S3 notification, a reprocessing of a file never processed) leaves such a file
     * alone, so nothing the scan has not judged is ever processed.
     */
    private boolean waitsForMalwareVerdicts;
    private boolean malwareScanFailOpen;

    MediaProcessor(S3Client s3, String bucket, long maxImageBytes, ImagePipeline pipeline, Clock clock, Metrics metrics,
            EventSink events) {
        this(s3, bucket, maxImageBytes, pipeline, clock, metrics, events, Checkpoints.NONE);
    }

    MediaProcessor(S3Client s3, String bucket, long maxImageBytes, ImagePipeline pipeline, Clock clock, Metrics metrics,
            EventSink events, Checkpoints checkpoints) {
        this(new S3MediaBucket(s3, bucket), maxImageBytes, pipeline, clock, metrics, events, checkpoints,
                VariantWrites.DEFAULT_IN_FLIGHT);
    }

    MediaProcessor(MediaBucket bucket, long maxImageBytes, ImagePipeline pipeline, Clock clock, Metrics metrics,
            EventSink events, Checkpoints checkpoints) {
        this(bucket, maxImageBytes, pipeline, clock, metrics, events, checkpoints, VariantWrites.DEFAULT_IN_FLIGHT);
    }

    /** {@code writesInFlight}: how many of a run's variant writes go to the bucket at once (1: one after the other). */
    MediaProcessor(MediaBucket bucket, long maxImageBytes, ImagePipeline pipeline, Clock clock, Metrics metrics,
            EventSink events, Checkpoints checkpoints, int writesInFlight) {
        this.bucket = bucket;
        this.writes = new VariantWrites(bucket, writesInFlight);
        this.maxImageBytes = maxImageBytes;
        this.pipeline = pipeline;
        this.clock = clock;
        this.metrics = metrics;
        this.events = events;
        this.checkpoints = checkpoints;
    }

    /** With malware scanning on: a file without a manifest is processed on its scan's verdict only. */
    MediaProcessor waitingForMalwareVerdicts(boolean waits) {
        return waitingForMalwareVerdicts(waits, false);
    }

    /**
     * As above; {@code failOpen} (MALWARE_SCAN_FAIL_OPEN): a scan that did not conclude, read from the original's tag,
     * is processed as clean instead of rejected {@code scan-failed}, as the handler treats the same verdict's event.
     */
    MediaProcessor waitingForMalwareVerdicts(boolean waits, boolean failOpen) {
        this.waitsForMalwareVerdicts = waits;
        this.malwareScanFailOpen = failOpen;
        return this;
    }

    /**
     * GuardDuty's verdict as its tag on the original says, for a file whose verdict event never reached the resizer
     * (EventBridge gave up after a day and dead-lettered it; a rule was briefly missing): the repair sweep and a
     * reprocessing then find the file without a manifest, and the tag is the verdict. Only GuardDuty's role may set
     * that tag to a value that lets a file through (the bucket policy's OnlyGuardDutyMarksAnOriginalServable), and S3
     * keeps a tag with the object it was put on (an original is never overwritten: its upload is If-None-Match), so
     * the tag speaks of these bytes. Empty while the original has no verdict tag: the scan has not finished.
     */
    private Optional<Optional<RejectionReason>> verdictTaggedOn(OriginalKey file) {
        Optional<String> status = bucket.malwareScanStatus(file.key());
        if (status.isEmpty()) {
            return Optional.empty();
        }
        // Unlike the event, the tag may hold what GuardDuty never writes: the bucket policy only keeps others from
        // setting the values the CDN serves, so any other value is not taken as a verdict (failing open would serve it).
        Optional<MalwareScanResult.Verdict> verdict = MalwareScanResult.Verdict.named(status.get());
        if (verdict.isEmpty()) {
            metrics.count("MalwareScanTagsNotRecognised", Map.of());
            log.atWarn().addKeyValue("fileId", file.fileId().value())
                    .log("the original's GuardDutyMalwareScanStatus tag is no status GuardDuty writes: still waiting for a verdict");
            return Optional.empty();
        }
        metrics.count("MalwareVerdictsReadFromTags", Map.of());
        log.atInfo().addKeyValue("fileId", file.fileId().value()).addKeyValue("verdict", verdict.get())
                .log("no verdict event reached the resizer: the original's GuardDuty tag is its verdict");
        return Optional.of(verdict.get().rejection(malwareScanFailOpen));
    }

    /** Runs synthetic pictures through the image pipeline (before a SnapStart snapshot); no S3 call. */
    void prime() {
        pipeline.prime();
    }

    ProcessingResult process(String eventBucket, String key) {
        return process(eventBucket, key, null);
    }

    /**
     * A new original on its malware scan's verdict ({@code null}: no verdict, e.g. S3's notification without
     * scanning): {@code scanRejection} rejects it whatever its bytes (reason {@code malware} or {@code scan-failed}):
     * its bytes are then never read, and no variant is made.
     */
    ProcessingResult process(String eventBucket, String key, Optional<RejectionReason> scanRejection) {
        return process(eventBucket, key, scanRejection, "");
    }

    /**
     * As above, with the ETag of the bytes the verdict is about (GuardDuty's {@code s3ObjectDetails.eTag}; empty when
     * unknown): a verdict on other bytes than the original's now (overwritten since it was scanned) is not applied to
     * them. GuardDuty scans every new object or version, so those bytes get a verdict of their own.
     */
    ProcessingResult process(String eventBucket, String key, Optional<RejectionReason> scanRejection, String scannedEtag) {
        boolean verdict = scanRejection != null;
        if (scanRejection == null) {
            scanRejection = Optional.empty();
        }
        Optional<OriginalKey> original = MediaKeys.parseOriginal(key);
        if (original.isEmpty()) {
            return ProcessingResult.skipped(key, "not an originals/{owner}/{fileId} key");
        }
        if (!bucket.name().equals(eventBucket)) {
            return ProcessingResult.skipped(key, "event for another bucket");
        }
        Optional<MediaBucket.Original> head = bucket.head(key);
        if (head.isEmpty()) {
            return ProcessingResult.skipped(key, "the original no longer exists");
        }
        String etag = head.get().etag();
        OriginalKey file = original.get();
        if (verdict && !scannedEtag.isEmpty() && !scannedEtag.replace("\"", "").equals(etag)) {
            metrics.count("MalwareVerdictsForOtherBytes", Map.of());
            log.atWarn().addKeyValue("fileId", file.fileId().value()).addKeyValue("scannedEtag", scannedEtag)
                    .addKeyValue("etag", etag).log("the malware scan's verdict is about other bytes than the original's now: not applied");
            return ProcessingResult.skipped(key, "the malware scan's verdict is about other bytes (ETag " + scannedEtag + ")");
        }
        Optional<Manifest.Stored> existing = bucket.manifest(file);
        if (existing.isPresent() && etag.equals(existing.get().manifest().source().etag())) {
            return ProcessingResult.skipped(key, "already processed");
        }
        if (!verdict && waitsForMalwareVerdicts && existing.isEmpty()) {
            Optional<Optional<RejectionReason>> tagged = verdictTaggedOn(file);
            if (tagged.isEmpty()) {
                return ProcessingResult.skipped(key, "waiting for the malware scan's verdict");
            }
            scanRejection = tagged.get();
        }
        if (bucket.isDeleted(file)) {
            return ProcessingResult.skipped(key, "the file was deleted");
        }
        // The manifest that stands (a PATCH may have changed it since the upload) decides who sees the file, not the
        // visibility the upload was signed with.
        Visibility visibility = existing.map(stored -> stored.manifest().visibilityValue())
                .orElseGet(() -> head.get().uploadedVisibility());
        // Announced on every attempt until processing ends (a retry repeats it with the same id); the manifest's own
        // S3 notification announces the verdict.
        events.publish(FileEvents.uploaded(file.owner(), file.fileId(), etag,
                head.get().lastModified().truncatedTo(ChronoUnit.SECONDS).toString(), visibility.code(),
                head.get().filename(), head.get().contentType(), head.get().size()));
        long started = System.nanoTime();
        List<String> written = new ArrayList<>();
        // A focus set on the manifest that stands (PATCH) cuts the cover variants, whichever run makes them.
        Recipe.Focus focus = existing.map(stored -> stored.manifest().focus()).orElse(null);
        Manifest manifest = (scanRejection.isPresent() ? scanRejected(file, head.get(), scanRejection.get())
                : build(file, head.get(), visibility, written, null, focus)).withVisibility(visibility, false, null);
        checkpoints.reached(Step.VARIANTS_WRITTEN, file);
        if (!manifest.isReady()) {
            bucket.tagRejected(key);
        }
        boolean manifestWritten = bucket.writeManifest(file, manifest, existing).isPresent();
        checkpoints.reached(Step.MANIFEST_WRITTEN, file);
        if (!manifestWritten) {
            withdrawPublicCopies(file, written);
        }
        if (bucket.isDeleted(file)) {
            bucket.removeEverything(file);
            log.atInfo().addKeyValue("fileId", file.fileId().value()).log("deleted while processing: what this run wrote is removed");
            return ProcessingResult.skipped(key, "the file was deleted while it was processed");
        }
        if (!manifestWritten) {
            return ProcessingResult.skipped(key, "another run or a change wrote the manifest first: it stands");
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (manifest.isReady()) {
            metrics.put(Map.of(), "Count", Map.of("VariantsMade", manifest.variants().size()));
            metrics.put(Map.of(), "Milliseconds", Map.of("ResizeMs", millis));
        } else {
            metrics.count("Rejections", Map.of("Reason", manifest.reason()));
        }
        log.atInfo()
                .addKeyValue("fileId", file.fileId().value())
                .addKeyValue("owner", file.owner().value())
                .addKeyValue("status", manifest.status().code())
                .addKeyValue("reason", manifest.reason())
                .addKeyValue("variants", manifest.variants().size())
                .addKeyValue("durationMs", millis)
                .log("processed {}", manifest.status().code());
        return new ProcessingResult(key, ProcessingResult.Outcome.of(manifest.status()), manifest.reason());
    }

    /**
     * Makes the file's variants again with today's configuration, under a new generation's keys, and switches the
     * manifest to them in one conditional write (If-Match the manifest read, so a {@code PATCH} or {@code DELETE} that
     * came meanwhile wins and this run removes what it wrote). The previous generation's objects are then marked
     * superseded: the bucket's lifecycle rule deletes them once every URL that named them has expired. An original
     * without a manifest (its processing never happened) is processed as a new upload.
     */
    @Override
    public Outcome reprocess(String requestBucket, String key, boolean force) {
        Optional<OriginalKey> original = MediaKeys.parseOriginal(key);
        if (original.isEmpty()) {
            return new Outcome(Kind.NOT_AN_ORIGINAL, key + " is not an originals/{owner}/{fileId} key", null, null);
        }
        if (!bucket.name().equals(requestBucket)) {
            return new Outcome(Kind.NOT_AN_ORIGINAL, "bucket " + requestBucket + " is not this stack's media bucket", null, null);
        }
        OriginalKey file = original.get();
        Optional<MediaBucket.Original> head = bucket.head(key);
        if (head.isEmpty()) {
            return new Outcome(Kind.NO_ORIGINAL, key, null, null);
        }
        if (bucket.isDeleted(file)) {
            return new Outcome(Kind.DELETED, key, null, null);
        }
        Optional<Manifest.Stored> existing = bucket.manifest(file);
        if (existing.isEmpty() && waitsForMalwareVerdicts) {
            Optional<Optional<RejectionReason>> tagged = verdictTaggedOn(file);
            if (tagged.isEmpty()) {
                // Its first processing comes with GuardDuty's verdict, which has not arrived: a retry may find it done.
                return new Outcome(Kind.RACED, "waiting for the malware scan's verdict", null, null);
            }
            ProcessingResult result = process(bucket.name(), key, tagged.get(), head.get().etag());
            return new Outcome(Kind.REPROCESSED, "never processed, processed now on its scan's tag: " + result.outcome(),
                    statusOf(result), null);
        }
        if (existing.isEmpty()) {
            ProcessingResult result = process(bucket.name(), key);
            return new Outcome(Kind.REPROCESSED, "never processed, processed now: " + result.outcome(), statusOf(result), null);
        }
        Manifest current = existing.get().manifest();
        if (current.status() == FileStatus.REJECTED
                && RejectionReason.ofCode(current.reason()).map(RejectionReason::decidedByMalwareScan).orElse(false)) {
            // The scan judged the object, not this configuration: making it again would serve what the scan refused.
            return new Outcome(Kind.CURRENT, "rejected " + current.reason() + " by the malware scan: kept", current.status(), current.recipe());
        }
        String etag = head.get().etag();
        // The recipe names the focus: a focus changed since the variants were made (PATCH) makes them stale.
        if (!force && etag.equals(current.source().etag()) && !Recipe.isStale(current, pipeline.recipeConfig(), current.focus())) {
            return new Outcome(Kind.CURRENT, current.status() + " " + current.recipe(), current.status(), current.recipe());
        }
        if (current.isUnpublishPending()) {
            // A change to private is still removing the public copies: once it finishes, a retry reprocesses.
            return new Outcome(Kind.RACED, "a visibility change is finishing", current.status(), current.recipe());
        }
        Visibility visibility = current.visibilityValue();
        String generation = newGeneration();
        List<String> written = new ArrayList<>();
        long started = System.nanoTime();
        Manifest made = build(file, head.get(), visibility, written, generation, current.focus())
                .withVisibility(visibility, false, null).withGeneration(generation);
        if (!made.isReady()) {
            bucket.tagRejected(key);
        }
        if (bucket.writeManifest(file, made, existing).isEmpty() && !landed(file, generation)) {
            // Only this run's generation is removed: no manifest ever named it.
            written.forEach(bucket::delete);
            return new Outcome(Kind.RACED, "the manifest changed meanwhile", current.status(), current.recipe());
        }
        if (bucket.isDeleted(file)) {
            bucket.removeEverything(file);
            return new Outcome(Kind.DELETED, "deleted while reprocessed", null, null);
        }
        if (made.isReady() && current.status() == FileStatus.REJECTED) {
            // Rejected before (a recipe or a limit since changed): the original must not expire under a ready file.
            bucket.clearRejected(key);
        }
        int superseded = supersede(current, made);
        long millis = (System.nanoTime() - started) / 1_000_000;
        metrics.put(Map.of(), "Milliseconds", Map.of("ReprocessMs", millis));
        log.atInfo().addKeyValue("fileId", file.fileId().value()).addKeyValue("owner", file.owner().value())
                .addKeyValue("status", made.status().code()).addKeyValue("recipe", made.recipe()).addKeyValue("generation", generation)
                .addKeyValue("superseded", superseded).addKeyValue("durationMs", millis).log("reprocessed");
        return new Outcome(Kind.REPROCESSED, made.status() + " " + made.recipe() + " generation " + generation,
                made.status(), made.recipe());
    }

    /** A first processing's verdict as a status; null when it wrote none (skipped). */
    private static FileStatus statusOf(ProcessingResult result) {
        return switch (result.outcome()) {
            case READY -> FileStatus.READY;
            case REJECTED -> FileStatus.REJECTED;
            case SKIPPED -> null;
            case FAILED -> FileStatus.FAILED;
        };
    }

    /**
     * Whether the manifest that stands is this run's after all: the SDK retries a write whose answer was lost (a reset
     * connection), and the retry of a conditional write that did land is refused 412, its condition now false.
     */
    private boolean landed(OriginalKey file, String generation) {
        return bucket.readableManifest(file).map(Manifest::generation).filter(generation::equals).isPresent();
    }

    /** A key segment no earlier generation of any file used: the time (for people reading keys) and 48 random bits. */
    private String newGeneration() {
        return "g" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(clock.instant()) + "-" + java.util.HexFormat.of().formatHex(randomBytes(6));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Every object of the {@code previous} manifest that {@code replacement} does not name (its private copy under
     * {@code variants/} and, for a public file, its copy under {@code public/}) is marked superseded
     * ({@link MediaBucket#markSuperseded}): the lifecycle rule deletes it {@value #SUPERSEDED_EXPIRATION_DAYS} days
     * later. A copy whose source is gone (a delete ran) is skipped.
     */
    private int supersede(Manifest previous, Manifest replacement) {
        java.util.Set<String> kept = new java.util.HashSet<>();
        replacement.variants().values().forEach(variant -> variant.keys().forEach(k -> {
            kept.add(MediaKeys.unpublished(k));
            kept.add(MediaKeys.published(MediaKeys.unpublished(k)));
        }));
        // A public file's variants also have copies under public/ (its manifest's keys); a private file's have none.
        boolean published = previous.visibilityValue() == Visibility.PUBLIC || previous.isUnpublishPending();
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        int count = 0;
        for (Manifest.VariantEntry variant : previous.variants().values()) {
            Map<String, String> types = new LinkedHashMap<>();
            types.put(MediaKeys.unpublished(variant.key()), variant.contentType());
            variant.alternates().forEach((type, alternate) -> types.put(MediaKeys.unpublished(alternate.key()), type));
            for (Map.Entry<String, String> entry : types.entrySet()) {
                for (String target : published ? List.of(entry.getKey(), MediaKeys.published(entry.getKey())) : List.of(entry.getKey())) {
                    if (!kept.contains(target) && bucket.markSuperseded(target, entry.getValue(), now)) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /**
     * A deterministic failure, recorded at once: {@code file.failed} for the original (unless it is gone) and a metric.
     * Publishing it can itself fail transiently, which then throws so the run is retried.
     */
    ProcessingResult giveUp(String eventBucket, String key, RuntimeException cause) {
        return giveUp(eventBucket, key, cause, "processing-error");
    }

    /** As above, announced with {@code reason} ({@code file.failed}'s short code). */
    ProcessingResult giveUp(String eventBucket, String key, RuntimeException cause, String reason) {
        Optional<OriginalKey> original = MediaKeys.parseOriginal(key);
        Optional<MediaBucket.Original> head = original.isPresent() && bucket.name().equals(eventBucket) ? bucket.head(key) : Optional.empty();
        if (head.isEmpty()) {
            return ProcessingResult.skipped(key, "gave up on an object that is not an original any more");
        }
        if (bucket.isDeleted(original.get())) {
            return ProcessingResult.skipped(key, "gave up on a file that was deleted meanwhile");
        }
        if (bucket.readableManifest(original.get()).isPresent()) {
            return ProcessingResult.skipped(key, "the manifest was written before the failure: its verdict stands");
        }
        events.publish(FileEvents.failed(original.get().owner(), original.get().fileId(), head.get().etag(),
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), reason, head.get().uploadedVisibility().code(),
                head.get().filename(), head.get().contentType(), head.get().size()));
        metrics.count("GaveUp", Map.of("Error", cause.getClass().getSimpleName()));
        return ProcessingResult.failed(key, "gave up: " + cause.getClass().getSimpleName());
    }

    /**
     * The verdict on the original and its variants, the cover ones cut around {@code focus} (null: none set); the
     * manifest keeps the focus and names it in its recipe.
     */
    private Manifest build(OriginalKey original, MediaBucket.Original head, Visibility visibility, List<String> written,
            String generation, Recipe.Focus focus) {
        Manifest made = verdict(original, head, visibility, written, generation, focus).withFocus(focus);
        return made.withRecipe(Recipe.expectedFor(made, pipeline.recipeConfig(), focus));
    }

    private Manifest verdict(OriginalKey original, MediaBucket.Original head, Visibility visibility, List<String> written,
            String generation, Recipe.Focus focus) {
        long size = head.size();
        Optional<FileType> declared = FileType.fromMimeType(head.contentType());
        Manifest.Source bare = new Manifest.Source(head.key(), head.etag(), head.filename(), head.contentType(), size,
                null, null, null, null);
        if (declared.isEmpty()) {
            return rejected(original.fileId(), bare, RejectionReason.UNSUPPORTED_FORMAT);
        }
        if (declared.get().isImage() && size > maxImageBytes) {
            // Decided from the object's size alone: an image this large is never read into memory.
            return rejected(original.fileId(), bare, RejectionReason.TOO_LARGE);
        }
        // A document is only checked by its magic bytes: a 5 GB PDF is never read, only its first bytes.
        boolean prefixOnly = !declared.get().isImage() && size > FormatSniffer.PREFIX_BYTES;
        MediaOutcome outcome;
        try (NativeBytes bytes = bucket.read(head, prefixOnly ? Long.valueOf(FormatSniffer.PREFIX_BYTES) : null)) {
            outcome = pipeline.process(bytes, declared.get(), focus);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + head.key() + " from S3 failed", e);
        }
        checkpoints.reached(Step.ORIGINAL_READ, original);
        return switch (outcome) {
            case MediaOutcome.Rejected rejected -> {
                log.atInfo().addKeyValue("fileId", original.fileId().value()).addKeyValue("detail", rejected.detail())
                        .log("rejected: {}", rejected.reason().code());
                yield rejected(original.fileId(), bare, rejected.reason());
            }
            case MediaOutcome.Document document -> manifest(original.fileId(), FileStatus.READY, null, bare, Map.of(), null);
            case MediaOutcome.Image image -> {
                Map<String, Manifest.VariantEntry> variants = writeVariants(original, image, visibility, written, generation);
                Manifest.Source source = new Manifest.Source(head.key(), head.etag(), head.filename(), head.contentType(), size,
                        image.width(), image.height(), image.animated() ? image.frames() : null,
                        image.animated() ? Boolean.TRUE : null, image.animated() ? image.durationMs() : null);
                yield manifest(original.fileId(), FileStatus.READY, null, source, variants, image.placeholder())
                        .withSummaries(image.animated(), image.thumbhash(), image.dominantColor());
            }
        };
    }

    /**
     * All variants or none ({@link VariantWrites}): when a write fails, the ones already written are removed before the
     * error goes up, so the bucket holds nothing beyond the original until a retry writes the full set (a killed process
     * leaves some behind, which the retry overwrites). {@code written} collects every key written.
     */
    private Map<String, Manifest.VariantEntry> writeVariants(OriginalKey original, MediaOutcome.Image image, Visibility visibility,
            List<String> written, String generation) {
        Map<String, Manifest.VariantEntry> variants = new LinkedHashMap<>();
        List<VariantWrites.Put> puts = new ArrayList<>();
        for (MediaOutcome.Variant variant : image.variants()) {
            String variantKey = MediaKeys.variant(original.owner(), original.fileId(), generation, variant.name(),
                    variant.type().extension());
            puts.addAll(copies(variantKey, variant.type().mimeType(), variant.bytes(), visibility));
            Map<String, Manifest.AlternateEntry> alternates = new LinkedHashMap<>();
            for (MediaOutcome.Alternate alternate : variant.alternates()) {
                String alternateKey = MediaKeys.variant(original.owner(), original.fileId(), generation, variant.name(),
                        alternate.format().extension());
                puts.addAll(copies(alternateKey, alternate.format().mimeType(), alternate.bytes(), visibility));
                alternates.put(alternate.format().mimeType(), new Manifest.AlternateEntry(alternateKey, alternate.bytes().length));
            }
            variants.put(variant.name(), new Manifest.VariantEntry(variantKey, variant.width(), variant.height(),
                    variant.type().mimeType(), variant.bytes().length, alternates));
        }
        writes.writeAll(puts, written);
        return variants;
    }

    /** One encoding of a variant under {@code variants/}, and for a public file under {@code public/} too. */
    private static List<VariantWrites.Put> copies(String variantKey, String contentType, byte[] bytes, Visibility visibility) {
        List<String> keys = visibility == Visibility.PUBLIC ? List.of(variantKey, MediaKeys.published(variantKey)) : List.of(variantKey);
        return keys.stream().map(key -> new VariantWrites.Put(key, contentType, bytes)).toList();
    }

    /** Rejected by a malware scan's verdict: the original's bytes are not read. */
    private Manifest scanRejected(OriginalKey original, MediaBucket.Original head, RejectionReason reason) {
        log.atInfo().addKeyValue("fileId", original.fileId().value()).log("rejected by the malware scan: {}", reason.code());
        return rejected(original.fileId(), new Manifest.Source(head.key(), head.etag(), head.filename(), head.contentType(),
                head.size(), null, null, null, null), reason);
    }

    private Manifest rejected(FileId fileId, Manifest.Source source, RejectionReason reason) {
        return manifest(fileId, FileStatus.REJECTED, reason.code(), source, Map.of(), null);
    }

    private Manifest manifest(FileId fileId, FileStatus status, String reason, Manifest.Source source,
            Map<String, Manifest.VariantEntry> variants, String placeholder) {
        Manifest made = new Manifest(Manifest.VERSION, fileId.value(), status, reason, Visibility.PRIVATE.code(), source,
                variants, placeholder, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), null, null);
        return made.withRecipe(Recipe.expectedFor(made, pipeline.recipeConfig(), null));
    }

    /**
     * This run lost its manifest write to another writer (an earlier run, possibly followed by a visibility change): the
     * manifest that stands says who sees the file. The public copies this run wrote go unless it says public; if it
     * turned public while they were being removed (a PATCH publishing at that moment), they are copied again from the
     * private variants, as that PATCH did, so a public manifest never points at a removed copy.
     */
    private void withdrawPublicCopies(OriginalKey file, List<String> written) {
        List<String> published = written.stream().filter(key -> key.startsWith(MediaKeys.PUBLIC_PREFIX)).toList();
        if (published.isEmpty() || bucket.readableManifest(file).filter(MediaProcessor::isPublished).isPresent()) {
            return;
        }
        published.forEach(bucket::delete);
        Optional<Manifest> after = bucket.readableManifest(file).filter(MediaProcessor::isPublished);
        after.ifPresent(manifest -> manifest.variants().values().stream().flatMap(variant -> variant.keys().stream())
                .filter(key -> key.startsWith(MediaKeys.PUBLIC_PREFIX))
                .forEach(key -> bucket.copy(MediaKeys.unpublished(key), key)));
        log.atInfo().addKeyValue("fileId", file.fileId().value()).addKeyValue("removed", published.size())
                .log("the manifest that stands is private: this run's public copies are removed");
    }

    private static boolean isPublished(Manifest manifest) {
        return manifest.visibilityValue() == Visibility.PUBLIC && !manifest.isUnpublishPending();
    }
}
