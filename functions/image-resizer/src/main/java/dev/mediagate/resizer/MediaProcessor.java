package dev.mediagate.resizer;

import dev.mediagate.core.events.EventSink;
import dev.mediagate.core.events.FileEvents;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.upload.Filenames;
import dev.mediagate.core.files.Deletions;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.MediaKeys.OriginalKey;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.core.files.FileType;
import dev.mediagate.core.files.Visibility;
import dev.mediagate.core.metrics.Metrics;
import dev.mediagate.core.aws.S3Clients;
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
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * One original in, its variants and manifest out. A public upload's variants are also published under {@code public/},
 * and its manifest's variant keys point there; the private copies under {@code variants/} stay the file's own, so a
 * later change of visibility never has to read what the CDN serves. Bad files end as a {@code rejected} manifest; S3
 * trouble throws, so Lambda retries, and since the manifest is written only after every variant, a failure never
 * leaves a manifest behind.
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

    static final String VARIANT_CACHE_CONTROL = "public, max-age=31536000, immutable";
    static final String REJECTED_TAG = "mediagate-status";
    /** The value of {@link #REJECTED_TAG} on a previous generation's variants: the lifecycle rule deletes them. */
    static final String SUPERSEDED = "superseded";
    static final int SUPERSEDED_EXPIRATION_DAYS = 8;
    /** When a variant was superseded ({@code x-amz-meta-superseded-at}), also where the store keeps no tags. */
    static final String SUPERSEDED_AT = "superseded-at";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(MediaProcessor.class);

    private final S3Client s3;
    private final String bucket;
    private final long maxImageBytes;
    private final ImagePipeline pipeline;
    private final Clock clock;
    private final Metrics metrics;
    private final EventSink events;
    private final Checkpoints checkpoints;

    MediaProcessor(S3Client s3, String bucket, long maxImageBytes, ImagePipeline pipeline, Clock clock, Metrics metrics,
            EventSink events) {
        this(s3, bucket, maxImageBytes, pipeline, clock, metrics, events, Checkpoints.NONE);
    }

    MediaProcessor(S3Client s3, String bucket, long maxImageBytes, ImagePipeline pipeline, Clock clock, Metrics metrics,
            EventSink events, Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
        this.s3 = s3;
        this.bucket = bucket;
        this.maxImageBytes = maxImageBytes;
        this.pipeline = pipeline;
        this.clock = clock;
        this.metrics = metrics;
        this.events = events;
    }

    /** Runs synthetic pictures through the image pipeline (before a SnapStart snapshot); no S3 call. */
    void prime() {
        pipeline.prime();
    }

    ProcessingResult process(String eventBucket, String key) {
        Optional<OriginalKey> original = MediaKeys.parseOriginal(key);
        if (original.isEmpty()) {
            return ProcessingResult.skipped(key, "not an originals/{owner}/{fileId} key");
        }
        if (!bucket.equals(eventBucket)) {
            return ProcessingResult.skipped(key, "event for another bucket");
        }
        Optional<HeadObjectResponse> head = head(key);
        if (head.isEmpty()) {
            return ProcessingResult.skipped(key, "the original no longer exists");
        }
        String etag = unquote(head.get().eTag());
        OriginalKey file = original.get();
        String manifestKey = MediaKeys.manifest(file.owner(), file.fileId());
        Optional<Manifest.Stored> existing = readStoredManifest(manifestKey);
        if (existing.isPresent() && etag.equals(existing.get().manifest().source().etag())) {
            return ProcessingResult.skipped(key, "already processed");
        }
        if (isDeleted(file)) {
            return ProcessingResult.skipped(key, "the file was deleted");
        }
        // The manifest that stands (a PATCH may have changed it since the upload) decides who sees the file, not the
        // visibility the upload was signed with.
        Visibility visibility = existing.map(stored -> stored.manifest().visibilityValue())
                .orElseGet(() -> Visibility.fromStored(head.get().metadata().get("visibility")));
        // Announced on every attempt until processing ends (a retry repeats it with the same id); the manifest's own
        // S3 notification announces the verdict.
        events.publish(FileEvents.uploaded(file.owner(), file.fileId(), etag,
                head.get().lastModified().truncatedTo(ChronoUnit.SECONDS).toString(), visibility.code(),
                Filenames.percentDecode(head.get().metadata().getOrDefault("filename", "")), head.get().contentType(),
                head.get().contentLength()));
        long started = System.nanoTime();
        List<String> written = new ArrayList<>();
        // A focus set on the manifest that stands (PATCH) cuts the cover variants, whichever run makes them.
        Recipe.Focus focus = existing.map(stored -> stored.manifest().focus()).orElse(null);
        Manifest manifest = build(file, key, etag, head.get(), visibility, written, null, focus).withVisibility(visibility, false, null);
        checkpoints.reached(Step.VARIANTS_WRITTEN, file);
        if (!manifest.isReady()) {
            tagRejected(key);
        }
        boolean manifestWritten = Manifest.putIfUnchanged(s3, bucket, manifestKey, manifest, existing).isPresent();
        checkpoints.reached(Step.MANIFEST_WRITTEN, file);
        if (!manifestWritten) {
            withdrawPublicCopies(file, written);
        }
        if (isDeleted(file)) {
            removeEverything(file);
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
                .addKeyValue("status", manifest.status())
                .addKeyValue("reason", manifest.reason())
                .addKeyValue("variants", manifest.variants().size())
                .addKeyValue("durationMs", millis)
                .log("processed {}", manifest.status());
        return new ProcessingResult(key, manifest.status(), manifest.reason());
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
        if (!bucket.equals(requestBucket)) {
            return new Outcome(Kind.NOT_AN_ORIGINAL, "bucket " + requestBucket + " is not this stack's media bucket", null, null);
        }
        OriginalKey file = original.get();
        Optional<HeadObjectResponse> head = head(key);
        if (head.isEmpty()) {
            return new Outcome(Kind.NO_ORIGINAL, key, null, null);
        }
        if (isDeleted(file)) {
            return new Outcome(Kind.DELETED, key, null, null);
        }
        String manifestKey = MediaKeys.manifest(file.owner(), file.fileId());
        Optional<Manifest.Stored> existing = readStoredManifest(manifestKey);
        if (existing.isEmpty()) {
            ProcessingResult result = process(bucket, key);
            return new Outcome(Kind.REPROCESSED, "never processed, processed now: " + result.outcome(), result.outcome(), null);
        }
        Manifest current = existing.get().manifest();
        String etag = unquote(head.get().eTag());
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
        Manifest made = build(file, key, etag, head.get(), visibility, written, generation, current.focus())
                .withVisibility(visibility, false, null).withGeneration(generation);
        if (!made.isReady()) {
            tagRejected(key);
        }
        if (Manifest.putIfUnchanged(s3, bucket, manifestKey, made, existing).isEmpty() && !landed(manifestKey, generation)) {
            // Only this run's generation is removed: no manifest ever named it.
            written.forEach(this::delete);
            return new Outcome(Kind.RACED, "the manifest changed meanwhile", current.status(), current.recipe());
        }
        if (isDeleted(file)) {
            removeEverything(file);
            return new Outcome(Kind.DELETED, "deleted while reprocessed", null, null);
        }
        int superseded = supersede(current, made);
        long millis = (System.nanoTime() - started) / 1_000_000;
        metrics.put(Map.of(), "Milliseconds", Map.of("ReprocessMs", millis));
        log.atInfo().addKeyValue("fileId", file.fileId().value()).addKeyValue("owner", file.owner().value())
                .addKeyValue("status", made.status()).addKeyValue("recipe", made.recipe()).addKeyValue("generation", generation)
                .addKeyValue("superseded", superseded).addKeyValue("durationMs", millis).log("reprocessed");
        return new Outcome(Kind.REPROCESSED, made.status() + " " + made.recipe() + " generation " + generation,
                made.status(), made.recipe());
    }

    /**
     * Whether the manifest that stands is this run's after all: the SDK retries a write whose answer was lost (a reset
     * connection), and the retry of a conditional write that did land is refused 412, its condition now false.
     */
    private boolean landed(String manifestKey, String generation) {
        return readableManifest(manifestKey).map(Manifest::generation).filter(generation::equals).isPresent();
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
     * {@code variants/} and, for a public file, its copy under {@code public/}) is copied onto itself with the
     * {@value #SUPERSEDED} tag. S3's lifecycle counts an object's age from its creation, so the copy restarts the clock:
     * the rule deletes it {@value #SUPERSEDED_EXPIRATION_DAYS} days later, after the longest-lived URL that named it
     * ({@code DOWNLOAD_URL_TTL_SECONDS} at most 7 days, plus rounding). A copy whose source is gone (a delete ran) is
     * skipped; a store without tags (S3Proxy, locally) keeps the copy untagged.
     */
    private int supersede(Manifest previous, Manifest replacement) {
        java.util.Set<String> kept = new java.util.HashSet<>();
        replacement.variants().values().forEach(variant -> variant.keys().forEach(k -> {
            kept.add(MediaKeys.unpublished(k));
            kept.add(MediaKeys.published(MediaKeys.unpublished(k)));
        }));
        // A public file's variants also have copies under public/ (its manifest's keys); a private file's have none.
        boolean published = previous.visibilityValue() == Visibility.PUBLIC || previous.isUnpublishPending();
        int count = 0;
        for (Manifest.VariantEntry variant : previous.variants().values()) {
            Map<String, String> types = new LinkedHashMap<>();
            types.put(MediaKeys.unpublished(variant.key()), variant.contentType());
            variant.alternates().forEach((type, alternate) -> types.put(MediaKeys.unpublished(alternate.key()), type));
            for (Map.Entry<String, String> entry : types.entrySet()) {
                for (String target : published ? List.of(entry.getKey(), MediaKeys.published(entry.getKey())) : List.of(entry.getKey())) {
                    if (!kept.contains(target) && markSuperseded(target, entry.getValue())) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private boolean markSuperseded(String key, String contentType) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            try {
                copyOntoItself(key, contentType, now, true);
            } catch (S3Exception e) {
                if (e.statusCode() != 501) {
                    throw e;
                }
                copyOntoItself(key, contentType, now, false);
            }
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private void copyOntoItself(String key, String contentType, String now, boolean tagged) {
        s3.copyObject(copy -> {
            copy.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                    .metadataDirective(software.amazon.awssdk.services.s3.model.MetadataDirective.REPLACE)
                    .contentType(contentType).cacheControl(VARIANT_CACHE_CONTROL).metadata(Map.of(SUPERSEDED_AT, now));
            if (tagged) {
                copy.taggingDirective(software.amazon.awssdk.services.s3.model.TaggingDirective.REPLACE)
                        .tagging(REJECTED_TAG + "=" + SUPERSEDED);
            }
        });
    }

    /**
     * A deterministic failure, recorded at once: {@code file.failed} for the original (unless it is gone) and a metric.
     * Publishing it can itself fail transiently, which then throws so Lambda retries.
     */
    ProcessingResult giveUp(String eventBucket, String key, RuntimeException cause) {
        return giveUp(eventBucket, key, cause, "processing-error");
    }

    /** As above, announced with {@code reason} ({@code file.failed}'s short code). */
    ProcessingResult giveUp(String eventBucket, String key, RuntimeException cause, String reason) {
        Optional<OriginalKey> original = MediaKeys.parseOriginal(key);
        Optional<HeadObjectResponse> head = original.isPresent() && bucket.equals(eventBucket) ? head(key) : Optional.empty();
        if (head.isEmpty()) {
            return ProcessingResult.skipped(key, "gave up on an object that is not an original any more");
        }
        if (isDeleted(original.get())) {
            return ProcessingResult.skipped(key, "gave up on a file that was deleted meanwhile");
        }
        if (readableManifest(MediaKeys.manifest(original.get().owner(), original.get().fileId())).isPresent()) {
            return ProcessingResult.skipped(key, "the manifest was written before the failure: its verdict stands");
        }
        events.publish(FileEvents.failed(original.get().owner(), original.get().fileId(), unquote(head.get().eTag()),
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), reason,
                Visibility.fromStored(head.get().metadata().get("visibility")).code(),
                Filenames.percentDecode(head.get().metadata().getOrDefault("filename", "")), head.get().contentType(),
                head.get().contentLength()));
        metrics.count("GaveUp", Map.of("Error", cause.getClass().getSimpleName()));
        return new ProcessingResult(key, "failed", "gave up: " + cause.getClass().getSimpleName());
    }

    /**
     * The verdict on the original and its variants, the cover ones cut around {@code focus} (null: none set); the
     * manifest keeps the focus and names it in its recipe.
     */
    private Manifest build(OriginalKey original, String key, String etag, HeadObjectResponse head, Visibility visibility,
            List<String> written, String generation, Recipe.Focus focus) {
        Manifest made = verdict(original, key, etag, head, visibility, written, generation, focus).withFocus(focus);
        return made.withRecipe(Recipe.expectedFor(made, pipeline.recipeConfig(), focus));
    }

    private Manifest verdict(OriginalKey original, String key, String etag, HeadObjectResponse head, Visibility visibility,
            List<String> written, String generation, Recipe.Focus focus) {
        long size = head.contentLength();
        Optional<FileType> declared = FileType.fromMimeType(head.contentType());
        String filename = Filenames.percentDecode(head.metadata().getOrDefault("filename", ""));
        Manifest.Source bare = new Manifest.Source(key, etag, filename, head.contentType(), size, null, null, null, null);
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
        // Streamed from S3 straight into native memory, where libvips reads it: the heap never holds the original.
        try (ResponseInputStream<GetObjectResponse> body = s3.getObject(get -> get.bucket(bucket).key(key).ifMatch(head.eTag())
                .range(prefixOnly ? "bytes=0-" + (FormatSniffer.PREFIX_BYTES - 1) : null));
                NativeBytes bytes = NativeBytes.read(body, body.response().contentLength())) {
            outcome = pipeline.process(bytes, declared.get(), focus);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " from S3 failed", e);
        }
        checkpoints.reached(Step.ORIGINAL_READ, original);
        return switch (outcome) {
            case MediaOutcome.Rejected rejected -> {
                log.atInfo().addKeyValue("fileId", original.fileId().value()).addKeyValue("detail", rejected.detail())
                        .log("rejected: {}", rejected.reason().code());
                yield rejected(original.fileId(), bare, rejected.reason());
            }
            case MediaOutcome.Document document -> manifest(original.fileId(), Manifest.READY, null, bare, Map.of(), null);
            case MediaOutcome.Image image -> {
                Map<String, Manifest.VariantEntry> variants = writeVariants(original, image, visibility, written, generation);
                Manifest.Source source = new Manifest.Source(key, etag, filename, head.contentType(), size, image.width(), image.height(),
                        image.animated() ? image.frames() : null, image.animated() ? Boolean.TRUE : null,
                        image.animated() ? image.durationMs() : null);
                yield manifest(original.fileId(), Manifest.READY, null, source, variants, image.placeholder())
                        .withSummaries(image.animated(), image.thumbhash(), image.dominantColor());
            }
        };
    }

    /**
     * All variants or none: when a write fails, the ones already written are removed before the error goes up, so the
     * bucket holds nothing beyond the original until a retry writes the full set (a killed process leaves some behind,
     * which the retry overwrites). {@code written} collects every key written.
     */
    private Map<String, Manifest.VariantEntry> writeVariants(OriginalKey original, MediaOutcome.Image image, Visibility visibility,
            List<String> written, String generation) {
        Map<String, Manifest.VariantEntry> variants = new LinkedHashMap<>();
        try {
            for (MediaOutcome.Variant variant : image.variants()) {
                String variantKey = MediaKeys.variant(original.owner(), original.fileId(), generation, variant.name(),
                        variant.type().extension());
                put(variantKey, variant.type().mimeType(), variant.bytes(), visibility, written);
                Map<String, Manifest.AlternateEntry> alternates = new LinkedHashMap<>();
                for (MediaOutcome.Alternate alternate : variant.alternates()) {
                    String alternateKey = MediaKeys.variant(original.owner(), original.fileId(), generation, variant.name(),
                            alternate.format().extension());
                    put(alternateKey, alternate.format().mimeType(), alternate.bytes(), visibility, written);
                    alternates.put(alternate.format().mimeType(), new Manifest.AlternateEntry(alternateKey, alternate.bytes().length));
                }
                variants.put(variant.name(), new Manifest.VariantEntry(variantKey, variant.width(), variant.height(),
                        variant.type().mimeType(), variant.bytes().length, alternates));
            }
            return variants;
        } catch (RuntimeException e) {
            for (String key : written) {
                try {
                    s3.deleteObject(delete -> delete.bucket(bucket).key(key));
                } catch (RuntimeException cleanupFailure) {
                    e.addSuppressed(cleanupFailure);
                }
            }
            throw e;
        }
    }

    /** One encoding of a variant under {@code variants/}, and for a public file under {@code public/} too. */
    private void put(String variantKey, String contentType, byte[] bytes, Visibility visibility, List<String> written) {
        List<String> keys = visibility == Visibility.PUBLIC ? List.of(variantKey, MediaKeys.published(variantKey)) : List.of(variantKey);
        for (String target : keys) {
            s3.putObject(put -> put.bucket(bucket).key(target).contentType(contentType).cacheControl(VARIANT_CACHE_CONTROL),
                    RequestBody.fromBytes(bytes));
            written.add(target);
        }
    }

    private Manifest rejected(FileId fileId, Manifest.Source source, RejectionReason reason) {
        return manifest(fileId, Manifest.REJECTED, reason.code(), source, Map.of(), null);
    }

    private Manifest manifest(FileId fileId, String status, String reason, Manifest.Source source,
            Map<String, Manifest.VariantEntry> variants, String placeholder) {
        Manifest made = new Manifest(Manifest.VERSION, fileId.value(), status, reason, Visibility.PRIVATE.code(), source,
                variants, placeholder, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), null, null);
        return made.withRecipe(Recipe.expectedFor(made, pipeline.recipeConfig(), null));
    }

    private boolean isDeleted(OriginalKey file) {
        return Deletions.isMarked(s3, bucket, file.owner(), file.fileId());
    }

    /**
     * This run lost its manifest write to another writer (an earlier run, possibly followed by a visibility change): the
     * manifest that stands says who sees the file. The public copies this run wrote go unless it says public; if it
     * turned public while they were being removed (a PATCH publishing at that moment), they are copied again from the
     * private variants, as that PATCH did, so a public manifest never points at a removed copy.
     */
    private void withdrawPublicCopies(OriginalKey file, List<String> written) {
        List<String> published = written.stream().filter(key -> key.startsWith(MediaKeys.PUBLIC_PREFIX)).toList();
        String manifestKey = MediaKeys.manifest(file.owner(), file.fileId());
        if (published.isEmpty() || readableManifest(manifestKey).filter(MediaProcessor::isPublished).isPresent()) {
            return;
        }
        published.forEach(this::delete);
        Optional<Manifest> after = readableManifest(manifestKey).filter(MediaProcessor::isPublished);
        after.ifPresent(manifest -> manifest.variants().values().stream().flatMap(variant -> variant.keys().stream())
                .filter(key -> key.startsWith(MediaKeys.PUBLIC_PREFIX))
                .forEach(key -> s3.copyObject(copy -> copy.sourceBucket(bucket).sourceKey(MediaKeys.unpublished(key))
                        .destinationBucket(bucket).destinationKey(key))));
        log.atInfo().addKeyValue("fileId", file.fileId().value()).addKeyValue("removed", published.size())
                .log("the manifest that stands is private: this run's public copies are removed");
    }

    private static boolean isPublished(Manifest manifest) {
        return manifest.visibilityValue() == Visibility.PUBLIC && !manifest.isUnpublishPending();
    }

    /** The file was deleted while this run wrote: everything under its variants and public prefixes goes. */
    private void removeEverything(OriginalKey file) {
        for (String prefix : List.of(MediaKeys.publicPrefix(file.owner(), file.fileId()),
                MediaKeys.variantsPrefix(file.owner(), file.fileId()))) {
            s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents()
                    .forEach(object -> delete(object.key()));
        }
    }

    private void delete(String key) {
        s3.deleteObject(delete -> delete.bucket(bucket).key(key));
    }

    /**
     * The bucket's lifecycle rule deletes rejected originals after a few days. An S3-compatible store without tagging
     * (S3Proxy, locally) answers 501: the rejection stands, the original just stays.
     */
    private void tagRejected(String key) {
        try {
            s3.putObjectTagging(PutObjectTaggingRequest.builder().bucket(bucket).key(key).tagging(Tagging.builder()
                    .tagSet(Tag.builder().key(REJECTED_TAG).value(Manifest.REJECTED).build()).build()).build());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                // The original was deleted meanwhile: there is nothing left to expire.
                return;
            }
            if (e.statusCode() != 501) {
                throw e;
            }
            log.atWarn().addKeyValue("key", key).log("this S3 does not support object tags: the rejected original will not expire");
        }
    }

    private Optional<HeadObjectResponse> head(String key) {
        return S3Clients.headIfExists(s3, bucket, key);
    }

    private Optional<Manifest> readManifest(String manifestKey) {
        return Manifest.read(s3, bucket, manifestKey);
    }

    private Optional<Manifest.Stored> readStoredManifest(String manifestKey) {
        return Manifest.readStored(s3, bucket, manifestKey);
    }

    private Optional<Manifest> readableManifest(String manifestKey) {
        try {
            return readManifest(manifestKey);
        } catch (IllegalStateException unreadable) {
            return Optional.empty();
        }
    }

    private static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
