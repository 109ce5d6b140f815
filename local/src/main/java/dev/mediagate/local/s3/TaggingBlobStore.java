package dev.mediagate.local.s3;

import java.io.InputStream;
import java.util.Map;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * An object's tags follow its bytes, as in S3: a new object (PUT, copy, multipart completion, an overwrite or a
 * re-upload after a delete) has exactly the tags its own request gives it ({@code x-amz-tagging}; a CopyObject's
 * default {@code x-amz-tagging-directive: COPY} takes the source's), and a deleted object has none. Set here, next to the
 * files, before the store's other wrappers hear of the new object: whatever they start (GuardDuty's stand-in, which tags
 * the object with its verdict later) finds the object's own tags already in place.
 */
final class TaggingBlobStore extends ForwardingBlobStore {

    private final ObjectTags tags;

    TaggingBlobStore(BlobStore delegate, ObjectTags tags) {
        super(delegate);
        this.tags = tags;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        PutObjectResponse response = super.putBlob(request, input);
        replace(request.bucket(), request.key(), ObjectTagging.requested(request.bucket(), request.key()).orElse(Map.of()));
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        // Read before the copy: a copy onto itself replaces the very object whose tags COPY keeps.
        Map<String, String> sourceTags = tags.of(request.sourceBucket(), request.sourceKey());
        CopyObjectResponse response = super.copyBlob(request);
        replace(request.destinationBucket(), request.destinationKey(),
                ObjectTagging.requested(request.destinationBucket(), request.destinationKey()).orElse(sourceTags));
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        // CreateMultipartUpload's x-amz-tagging is refused (501): a completed upload has none.
        tags.remove(request.bucket(), request.key());
        return response;
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        DeleteObjectResponse response = super.removeBlob(request);
        tags.remove(request.bucket(), request.key());
        return response;
    }

    private void replace(String bucket, String key, Map<String, String> newTags) {
        if (newTags.isEmpty()) {
            tags.remove(bucket, key);
        } else {
            tags.put(bucket, key, newTags);
        }
    }
}
