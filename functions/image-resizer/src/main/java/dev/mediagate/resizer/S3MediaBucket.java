package dev.mediagate.resizer;

import dev.mediagate.core.aws.S3Clients;
import dev.mediagate.core.files.Deletions;
import dev.mediagate.core.files.FileStatus;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.MediaKeys.OriginalKey;
import dev.mediagate.imaging.NativeBytes;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * The media bucket in S3, or an S3-compatible store (the local stack's keeps tags as S3 does; one without tags answers
 * 501 to tagging, and the marks below then fall back or are skipped).
 */
final class S3MediaBucket implements MediaBucket {

    static final String VARIANT_CACHE_CONTROL = "public, max-age=31536000, immutable";
    static final String STATUS_TAG = "mediagate-status";
    /** The value of {@link #STATUS_TAG} on a previous generation's variants: the lifecycle rule deletes them. */
    static final String SUPERSEDED = "superseded";
    /** The tag GuardDuty Malware Protection for S3 puts on each object it scans, its result status as the value. */
    static final String MALWARE_SCAN_STATUS_TAG = "GuardDutyMalwareScanStatus";
    /** When a variant was superseded ({@code x-amz-meta-superseded-at}), also where the store keeps no tags. */
    static final String SUPERSEDED_AT = "superseded-at";
    private static final Logger log = LoggerFactory.getLogger(S3MediaBucket.class);

    private final S3Client s3;
    private final String bucket;

    S3MediaBucket(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public String name() {
        return bucket;
    }

    @Override
    public Optional<Original> head(String key) {
        return S3Clients.headIfExists(s3, bucket, key).map(head -> new Original(key, head.eTag(), head.lastModified(),
                head.contentType(), head.contentLength(), head.metadata()));
    }

    /** Streamed from S3 straight into native memory, where libvips reads it: the heap never holds the original. */
    @Override
    public NativeBytes read(Original original, Long firstBytes) throws IOException {
        try (ResponseInputStream<GetObjectResponse> body = s3.getObject(get -> get.bucket(bucket).key(original.key())
                .ifMatch(original.etagHeader()).range(firstBytes == null ? null : "bytes=0-" + (firstBytes - 1)))) {
            return NativeBytes.read(body, body.response().contentLength());
        }
    }

    @Override
    public Optional<Manifest.Stored> manifest(OriginalKey file) {
        return Manifest.readStored(s3, bucket, MediaKeys.manifest(file.owner(), file.fileId()));
    }

    @Override
    public Optional<Manifest.Stored> writeManifest(OriginalKey file, Manifest manifest, Optional<Manifest.Stored> replacing) {
        return Manifest.putIfUnchanged(s3, bucket, MediaKeys.manifest(file.owner(), file.fileId()), manifest, replacing);
    }

    @Override
    public boolean isDeleted(OriginalKey file) {
        return Deletions.isMarked(s3, bucket, file.owner(), file.fileId());
    }

    @Override
    public void putVariant(String key, String contentType, byte[] bytes) {
        s3.putObject(put -> put.bucket(bucket).key(key).contentType(contentType).cacheControl(VARIANT_CACHE_CONTROL),
                RequestBody.fromBytes(bytes));
    }

    @Override
    public void copy(String from, String to) {
        s3.copyObject(copy -> copy.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(delete -> delete.bucket(bucket).key(key));
    }

    @Override
    public void removeEverything(OriginalKey file) {
        for (String prefix : List.of(MediaKeys.publicPrefix(file.owner(), file.fileId()),
                MediaKeys.variantsPrefix(file.owner(), file.fileId()))) {
            s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents()
                    .forEach(object -> delete(object.key()));
        }
    }

    /**
     * Copied onto itself: S3's lifecycle counts an object's age from its creation, so the copy restarts the clock. A store
     * without tags (501) keeps the copy untagged; a source that is gone (404: a delete ran) is skipped.
     */
    @Override
    public boolean markSuperseded(String key, String contentType, String now) {
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
                    .metadataDirective(MetadataDirective.REPLACE)
                    .contentType(contentType).cacheControl(VARIANT_CACHE_CONTROL).metadata(Map.of(SUPERSEDED_AT, now));
            if (tagged) {
                copy.taggingDirective(TaggingDirective.REPLACE).tagging(STATUS_TAG + "=" + SUPERSEDED);
            }
        });
    }

    /**
     * The bucket's lifecycle rule deletes rejected originals after a few days. The tag joins the original's others:
     * PutObjectTagging replaces the whole set, so the set is read first and written back with it (GuardDuty's
     * GuardDutyMalwareScanStatus, THREATS_FOUND as evidence, is kept; the bucket policy lets the resizer send back only
     * the value GuardDuty wrote). An S3-compatible store without tagging answers 501: the rejection
     * stands, the original just stays.
     */
    @Override
    public void tagRejected(String key) {
        retag(key, tags -> !FileStatus.REJECTED.code().equals(tags.put(STATUS_TAG, FileStatus.REJECTED.code())));
    }

    /**
     * A file rejected once and made ready since (a reprocessing): its original loses the rejected mark, or the
     * lifecycle rule would expire the original of a ready file. Its other tags stay.
     */
    @Override
    public void clearRejected(String key) {
        retag(key, tags -> FileStatus.REJECTED.code().equals(tags.remove(STATUS_TAG)));
    }

    @Override
    public Optional<String> malwareScanStatus(String key) {
        try {
            return s3.getObjectTagging(get -> get.bucket(bucket).key(key)).tagSet().stream()
                    .filter(tag -> tag.key().equals(MALWARE_SCAN_STATUS_TAG)).map(Tag::value).findFirst();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 501) {
                // Deleted meanwhile, or a store without tags: no verdict to read.
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Reads the original's tags, changes them, and writes them back when {@code change} says it changed them. */
    private void retag(String key, java.util.function.Predicate<Map<String, String>> change) {
        try {
            Map<String, String> tags = new java.util.LinkedHashMap<>();
            s3.getObjectTagging(get -> get.bucket(bucket).key(key)).tagSet().forEach(tag -> tags.put(tag.key(), tag.value()));
            if (!change.test(tags)) {
                return;
            }
            s3.putObjectTagging(PutObjectTaggingRequest.builder().bucket(bucket).key(key).tagging(Tagging.builder()
                    .tagSet(tags.entrySet().stream().map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build()).toList())
                    .build()).build());
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
}
