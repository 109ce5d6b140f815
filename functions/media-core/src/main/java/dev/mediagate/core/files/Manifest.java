package dev.mediagate.core.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code variants/{owner}/{fileId}/manifest.json}: written last by the resizer, so its presence means processing
 * finished. {@code source.filename} (the upload's display name) and {@code source.frames}/{@code source.animated}
 * (animated sources: only the first frame becomes variants) extend the contract, as does {@code unpublishPending}: a file
 * made private whose published copies may still be under {@code public/} (a retried change finishes removing them), and
 * {@code visibilityChangedAt}: set by a visibility change (never by the resizer), so the event a manifest write
 * announces can be told from the state it leaves; and {@code visibilityChangeId}: a random id drawn for each change
 * (kept while a change is finished by a retry), so two changes never share an event id, even within one second.
 *
 * <p>{@code recipe} (version 2) names what decided the variants' bytes ({@link Recipe}); a version-1 manifest has none
 * and reads as stale, so a reprocessing brings it up to date.
 *
 * <p>The contract's image fields, for ready images only: {@code focus} (the focal point set with {@code PATCH}, null when
 * none), {@code animated} (then {@code source.frames} and {@code source.durationMs}), {@code thumbhash} (base64 of the
 * reference ThumbHash) and {@code dominantColor} ({@code #rrggbb}).
 *
 * <p>{@code generation} (extending the contract) names the key segment of a reprocessed file's variants
 * ({@code variants/{owner}/{fileId}/{generation}/{variant}.{ext}}: new bytes never reuse a key); null for the first
 * processing, whose keys have none.
 */
public record Manifest(int version, String fileId, FileStatus status, String reason, String visibility, Source source,
        Map<String, VariantEntry> variants, String placeholder, String processedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean unpublishPending,
        @JsonInclude(JsonInclude.Include.NON_NULL) String visibilityChangedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String visibilityChangeId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String recipe,
        @JsonInclude(JsonInclude.Include.NON_NULL) Recipe.Focus focus,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean animated,
        @JsonInclude(JsonInclude.Include.NON_NULL) String thumbhash,
        @JsonInclude(JsonInclude.Include.NON_NULL) String dominantColor,
        @JsonInclude(JsonInclude.Include.NON_NULL) String generation) {

    /** Version 2 adds {@code recipe}. */
    public static final int VERSION = 2;
    /** The two statuses a manifest holds. */
    public static final FileStatus READY = FileStatus.READY;
    public static final FileStatus REJECTED = FileStatus.REJECTED;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public Manifest {
        variants = variants == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(variants));
        visibility = Visibility.fromStored(visibility).code();
    }

    /** A manifest no visibility change wrote, or one written before changes carried their own id; no recipe. */
    public Manifest(int version, String fileId, FileStatus status, String reason, String visibility, Source source,
            Map<String, VariantEntry> variants, String placeholder, String processedAt, Boolean unpublishPending,
            String visibilityChangedAt) {
        this(version, fileId, status, reason, visibility, source, variants, placeholder, processedAt, unpublishPending,
                visibilityChangedAt, null, null);
    }

    /** A manifest without a recipe (as version 1 wrote them). */
    public Manifest(int version, String fileId, FileStatus status, String reason, String visibility, Source source,
            Map<String, VariantEntry> variants, String placeholder, String processedAt, Boolean unpublishPending,
            String visibilityChangedAt, String visibilityChangeId) {
        this(version, fileId, status, reason, visibility, source, variants, placeholder, processedAt, unpublishPending,
                visibilityChangedAt, visibilityChangeId, null);
    }

    /** A manifest without the image fields ({@code focus}, {@code animated}, {@code thumbhash}, {@code dominantColor}). */
    public Manifest(int version, String fileId, FileStatus status, String reason, String visibility, Source source,
            Map<String, VariantEntry> variants, String placeholder, String processedAt, Boolean unpublishPending,
            String visibilityChangedAt, String visibilityChangeId, String recipe) {
        this(version, fileId, status, reason, visibility, source, variants, placeholder, processedAt, unpublishPending,
                visibilityChangedAt, visibilityChangeId, recipe, null, null, null, null, null);
    }

    /** A manifest of a first processing: no generation. */
    public Manifest(int version, String fileId, FileStatus status, String reason, String visibility, Source source,
            Map<String, VariantEntry> variants, String placeholder, String processedAt, Boolean unpublishPending,
            String visibilityChangedAt, String visibilityChangeId, String recipe, Recipe.Focus focus, Boolean animated,
            String thumbhash, String dominantColor) {
        this(version, fileId, status, reason, visibility, source, variants, placeholder, processedAt, unpublishPending,
                visibilityChangedAt, visibilityChangeId, recipe, focus, animated, thumbhash, dominantColor, null);
    }

    /** This manifest as made by {@code recipe} (a version-2 manifest). */
    public Manifest withRecipe(String recipe) {
        return new Manifest(Math.max(version, VERSION), fileId, status, reason, visibility, source, variants, placeholder,
                processedAt, unpublishPending, visibilityChangedAt, visibilityChangeId, recipe, focus, animated, thumbhash,
                dominantColor, generation);
    }

    /** This manifest as a reprocessing wrote it, its variants under {@code generation}. */
    public Manifest withGeneration(String generation) {
        return new Manifest(version, fileId, status, reason, visibility, source, variants, placeholder, processedAt,
                unpublishPending, visibilityChangedAt, visibilityChangeId, recipe, focus, animated, thumbhash, dominantColor,
                generation);
    }

    /** The original; {@code frames}, {@code animated} and {@code durationMs} (one loop) only for an animated image. */
    public record Source(String key, String etag, String filename, String contentType, long size, Integer width, Integer height,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer frames,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean animated,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer durationMs) {

        /** A still image, a document, or an original not (yet) read. */
        public Source(String key, String etag, String filename, String contentType, long size, Integer width, Integer height,
                Integer frames, Boolean animated) {
            this(key, etag, filename, contentType, size, width, height, frames, animated, null);
        }
    }

    /** One variant; {@code alternates} are the same pixels in the extra formats, by media type ({@code VARIANT_FORMATS}). */
    public record VariantEntry(String key, int width, int height, String contentType, long size,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, AlternateEntry> alternates) {

        public VariantEntry {
            alternates = alternates == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(alternates));
        }

        public VariantEntry(String key, int width, int height, String contentType, long size) {
            this(key, width, height, contentType, size, Map.of());
        }

        /** Every object this variant is stored as: its own key, then each alternate's. */
        public java.util.List<String> keys() {
            java.util.List<String> keys = new java.util.ArrayList<>();
            keys.add(key);
            alternates.values().forEach(alternate -> keys.add(alternate.key()));
            return keys;
        }
    }

    public record AlternateEntry(String key, long size) {
    }

    public boolean isReady() {
        return status == READY;
    }

    public Visibility visibilityValue() {
        return Visibility.fromStored(visibility);
    }

    public boolean isUnpublishPending() {
        return Boolean.TRUE.equals(unpublishPending);
    }

    /**
     * The same file as seen with another visibility: variant keys under {@code public/} for a public file;
     * {@code changedAt} is when a visibility change made it (null for the resizer's own manifest), with no change id.
     */
    public Manifest withVisibility(Visibility target, boolean pending, String changedAt) {
        return withVisibility(target, pending, changedAt, null);
    }

    /** As {@link #withVisibility(Visibility, boolean, String)}, made by the visibility change {@code changeId}. */
    public Manifest withVisibility(Visibility target, boolean pending, String changedAt, String changeId) {
        Map<String, VariantEntry> moved = new LinkedHashMap<>();
        variants.forEach((name, variant) -> {
            Map<String, AlternateEntry> alternates = new LinkedHashMap<>();
            variant.alternates().forEach((type, alternate) ->
                    alternates.put(type, new AlternateEntry(keyFor(target, alternate.key()), alternate.size())));
            moved.put(name, new VariantEntry(keyFor(target, variant.key()), variant.width(), variant.height(),
                    variant.contentType(), variant.size(), alternates));
        });
        return new Manifest(version, fileId, status, reason, target.code(), source, moved, placeholder, processedAt,
                pending ? Boolean.TRUE : null, changedAt, changeId, recipe, focus, animated, thumbhash, dominantColor,
                generation);
    }

    /**
     * The same manifest around another focal point (null: none), as a focus change writes it before the file's cover
     * variants are made again; its recipe is then stale until a reprocessing writes the new ones.
     */
    public Manifest withFocus(Recipe.Focus newFocus) {
        return new Manifest(version, fileId, status, reason, visibility, source, variants, placeholder, processedAt,
                unpublishPending, visibilityChangedAt, visibilityChangeId, recipe, newFocus, animated, thumbhash, dominantColor,
                generation);
    }

    /** The same manifest with a ready image's summaries: whether it is animated, its ThumbHash, its dominant colour. */
    public Manifest withSummaries(boolean isAnimated, String hash, String colour) {
        return new Manifest(version, fileId, status, reason, visibility, source, variants, placeholder, processedAt,
                unpublishPending, visibilityChangedAt, visibilityChangeId, recipe, focus, isAnimated, hash, colour, generation);
    }

    private static String keyFor(Visibility target, String key) {
        String privateKey = MediaKeys.unpublished(key);
        return target == Visibility.PUBLIC ? MediaKeys.published(privateKey) : privateKey;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest cannot be serialised", e);
        }
    }

    /**
     * A manifest as read, with the ETag a conditional write names to replace exactly this one, and the object's user
     * metadata (what the API keeps beside the manifest's JSON, such as the times of the file's last changes).
     */
    public record Stored(Manifest manifest, String etag, Map<String, String> metadata) {

        public Stored {
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }

        public Stored(Manifest manifest, String etag) {
            this(manifest, etag, Map.of());
        }
    }

    /** The manifest stored at {@code key} with its ETag; empty when there is none (yet, or any more). */
    public static Optional<Stored> readStored(S3Client s3, String bucket, String key) {
        try {
            var response = s3.getObjectAsBytes(get -> get.bucket(bucket).key(key));
            return Optional.of(new Stored(fromJson(response.asByteArray()), response.response().eTag(), response.response().metadata()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes {@code manifest} only over the one that was read ({@code If-Match} its ETag), or only where there is none
     * ({@code If-None-Match: *}) when {@code replacing} is empty; answers it as stored, with its new ETag. Empty when
     * another writer came first: S3 answers 412 to a failed condition, 409 to a conditional write that raced another,
     * and 404 to {@code If-Match} on a key that is gone (S3 User Guide, "How to prevent object overwrites with
     * conditional writes"); the caller reads again.
     */
    public static Optional<Stored> putIfUnchanged(S3Client s3, String bucket, String key, Manifest manifest,
            Optional<Stored> replacing) {
        return putIfUnchanged(s3, bucket, key, manifest, replacing, Map.of());
    }

    /** As {@link #putIfUnchanged(S3Client, String, String, Manifest, Optional)}, with the object's user metadata. */
    public static Optional<Stored> putIfUnchanged(S3Client s3, String bucket, String key, Manifest manifest,
            Optional<Stored> replacing, Map<String, String> metadata) {
        byte[] json = manifest.toJson();
        try {
            var response = s3.putObject(put -> {
                put.bucket(bucket).key(key).contentType("application/json").cacheControl("no-cache").metadata(metadata);
                replacing.ifPresentOrElse(stored -> put.ifMatch(stored.etag()), () -> put.ifNoneMatch("*"));
            }, software.amazon.awssdk.core.sync.RequestBody.fromBytes(json));
            return Optional.of(new Stored(manifest, response.eTag(), metadata));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
                return ownEarlierAttempt(s3, bucket, key, manifest, json);
            }
            throw e;
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            // No answer at all: a server that refuses a conditional PUT before reading its body may close the
            // connection, which the JDK's HttpURLConnection reports as a failed body write, not as the 412. What stands
            // tells: this write, another writer's (the condition failed), or what was there before (retry later).
            return afterLostAnswer(s3, bucket, key, manifest, json, replacing, metadata, e);
        }
    }

    private static Optional<Stored> afterLostAnswer(S3Client s3, String bucket, String key, Manifest manifest, byte[] json,
            Optional<Stored> replacing, Map<String, String> metadata, RuntimeException failure) {
        Optional<byte[]> standingBytes;
        String standingEtag;
        try {
            var standing = s3.getObjectAsBytes(get -> get.bucket(bucket).key(key));
            standingBytes = Optional.of(standing.asByteArray());
            standingEtag = standing.response().eTag();
        } catch (NoSuchKeyException gone) {
            standingBytes = Optional.empty();
            standingEtag = null;
        } catch (RuntimeException unreadable) {
            failure.addSuppressed(unreadable);
            throw failure;
        }
        if (standingBytes.isPresent() && java.util.Arrays.equals(standingBytes.get(), json)) {
            return Optional.of(new Stored(manifest, standingEtag, metadata));
        }
        boolean conditionHolds = replacing.isPresent()
                ? standingEtag != null && unquoted(standingEtag).equals(unquoted(replacing.get().etag()))
                : standingBytes.isEmpty();
        if (conditionHolds) {
            // Nothing changed: the write did not happen, for a reason a retry may not meet.
            throw failure;
        }
        return Optional.empty();
    }

    private static String unquoted(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    /**
     * The SDK sends a PUT again when its answer was lost (a reset connection, a timeout), and when the lost attempt was
     * written, the retry's condition fails on that very write: the write succeeded exactly when what stands now is,
     * byte for byte, what was sent (a manifest names its processing time, so another writer's is never identical).
     */
    private static Optional<Stored> ownEarlierAttempt(S3Client s3, String bucket, String key, Manifest manifest, byte[] json) {
        try {
            var standing = s3.getObjectAsBytes(get -> get.bucket(bucket).key(key));
            return java.util.Arrays.equals(standing.asByteArray(), json)
                    ? Optional.of(new Stored(manifest, standing.response().eTag()))
                    : Optional.empty();
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** The manifest stored at {@code key}; empty when there is none (yet, or any more). */
    public static Optional<Manifest> read(S3Client s3, String bucket, String key) {
        try {
            return Optional.of(fromJson(s3.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asByteArray()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    public static Manifest fromJson(byte[] json) {
        try {
            return JSON.readValue(json, Manifest.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("manifest is not valid JSON: " + new String(json, 0, Math.min(json.length, 80), StandardCharsets.UTF_8), e);
        }
    }
}
