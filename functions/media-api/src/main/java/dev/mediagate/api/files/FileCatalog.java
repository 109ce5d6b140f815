package dev.mediagate.api.files;

import dev.mediagate.core.aws.S3Clients;
import dev.mediagate.core.files.Deletions;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.files.Visibility;
import dev.mediagate.core.upload.Filenames;
import dev.mediagate.core.upload.UploadConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What the bucket knows of a file. Every key starts with the owner segment, so other owners' files are simply absent. */
public class FileCatalog {

    private final S3Client s3;
    private final String bucket;

    FileCatalog(S3Client s3, UploadConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    /** The media bucket, as a message to the resizer names it. */
    String bucket() {
        return bucket;
    }

    public Optional<Manifest> manifest(Owner owner, FileId fileId) {
        return Manifest.read(s3, bucket, MediaKeys.manifest(owner, fileId));
    }

    /** The uploaded original, if the browser's PUT has landed. */
    public Optional<Original> original(Owner owner, FileId fileId) {
        return S3Clients.headIfExists(s3, bucket, MediaKeys.original(owner, fileId)).map(head -> new Original(
                Filenames.percentDecode(head.metadata().getOrDefault("filename", "")), head.contentType(), head.contentLength(),
                Visibility.fromStored(head.metadata().get("visibility"))));
    }

    public record Original(String filename, String contentType, long size, Visibility visibility) {
    }

    /** The manifest with its ETag, for a change that must replace exactly what it read. */
    Optional<Manifest.Stored> storedManifest(Owner owner, FileId fileId) {
        return Manifest.readStored(s3, bucket, MediaKeys.manifest(owner, fileId));
    }

    /** Empty when the manifest is no longer the one read: another change, a processing run or a delete came first. */
    Optional<Manifest.Stored> replaceManifest(Owner owner, FileId fileId, Manifest.Stored read, Manifest manifest) {
        return replaceManifest(owner, fileId, read, manifest, read.metadata());
    }

    /** As above, with the manifest object's user metadata replaced by {@code metadata}. */
    Optional<Manifest.Stored> replaceManifest(Owner owner, FileId fileId, Manifest.Stored read, Manifest manifest,
            java.util.Map<String, String> metadata) {
        return Manifest.putIfUnchanged(s3, bucket, MediaKeys.manifest(owner, fileId), manifest, Optional.of(read), metadata);
    }

    void markDeleted(Owner owner, FileId fileId) {
        Deletions.mark(s3, bucket, owner, fileId);
    }

    boolean isDeleted(Owner owner, FileId fileId) {
        return Deletions.isMarked(s3, bucket, owner, fileId);
    }

    /** A server-side copy: the bytes never leave S3, Content-Type and Cache-Control come along. */
    void copy(String sourceKey, String destinationKey) {
        s3.copyObject(c -> c.sourceBucket(bucket).sourceKey(sourceKey).destinationBucket(bucket).destinationKey(destinationKey));
    }

    List<String> keysUnder(String prefix) {
        List<String> keys = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents()) {
            keys.add(object.key());
        }
        return keys;
    }

    void deleteAll(List<String> keys) {
        for (int from = 0; from < keys.size(); from += 1000) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + 1000)).stream()
                    .map(key -> ObjectIdentifier.builder().key(key).build()).toList();
            var result = s3.deleteObjects(d -> d.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
            if (result.hasErrors() && !result.errors().isEmpty()) {
                throw new IllegalStateException("S3 could not delete " + result.errors().size() + " objects, first: "
                        + result.errors().get(0).code());
            }
        }
    }
}
