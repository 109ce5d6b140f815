package dev.mediagate.local.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.local.LocalLog;
import dev.mediagate.local.sam.SamTemplate;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
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
 * S3's event notifications, locally: every object created through S3Proxy (PUT, including presigned ones, multipart
 * completion, copy) or deleted under a notification rule of {@code template.yaml} becomes an AWS-shaped S3 event for that
 * rule's function, with the key URL-encoded as S3 sends it.
 */
public final class NotifyingBlobStore extends ForwardingBlobStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<NotificationRule> rules;
    private final Destination destination;

    /** Where a notification goes: the function's async invoke, or the queue's SendMessage. */
    @FunctionalInterface
    public interface Destination {
        void send(NotificationRule rule, byte[] event);
    }
    /** S3's notifications to EventBridge ("Object Created"), sent for every object when the bucket turns them on. */
    @FunctionalInterface
    public interface EventBridgeNotification {
        void objectCreated(String bucket, String key, String eTag);
    }
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() * 1000);
    private final EventBridgeNotification eventBridge;

    public NotifyingBlobStore(BlobStore delegate, List<NotificationRule> rules, Destination destination) {
        this(delegate, rules, destination, (bucket, key, eTag) -> { });
    }

    public NotifyingBlobStore(BlobStore delegate, List<NotificationRule> rules, Destination destination, EventBridgeNotification eventBridge) {
        super(delegate);
        this.rules = List.copyOf(rules);
        this.destination = destination;
        this.eventBridge = eventBridge;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        PutObjectResponse response = super.putBlob(request, input);
        created(request.bucket(), request.key(), "ObjectCreated:Put", response.eTag());
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        created(request.destinationBucket(), request.destinationKey(), "ObjectCreated:Copy",
                response.copyObjectResult() == null ? null : response.copyObjectResult().eTag());
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        created(request.bucket(), request.key(), "ObjectCreated:CompleteMultipartUpload", response.eTag());
        return response;
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        DeleteObjectResponse response = super.removeBlob(request);
        removed(request.bucket(), request.key(), "ObjectRemoved:Delete", false);
        return response;
    }

    /**
     * A delete by S3 Lifecycle ({@link LocalLifecycle}): the object and its tags go as with DeleteObject, and the
     * notification is {@code s3:LifecycleExpiration:Delete} from S3 itself, which a subscription to
     * {@code s3:ObjectRemoved:*} does not receive (S3 User Guide, "Configuring S3 Lifecycle event notifications").
     */
    public void expireByLifecycle(String bucket, String key) {
        super.removeBlob(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
        removed(bucket, key, "LifecycleExpiration:Delete", true);
    }

    /** The object's tags went with it ({@link TaggingBlobStore}, beneath this store). */
    private void removed(String bucket, String key, String eventName, boolean byS3) {
        for (NotificationRule rule : rules) {
            if (rule.matches(bucket, key, eventName)) {
                destination.send(rule, event(bucket, key, eventName, null, null, byS3));
                LocalLog.line("s3", eventName + " " + key + " -> " + target(rule));
            }
        }
    }

    private void created(String bucket, String key, String eventName, String eTag) {
        for (NotificationRule rule : rules) {
            if (rule.matches(bucket, key, eventName)) {
                long size = blobMetadata(bucket, key).contentLength();
                // Sent before the request is answered: once a client has its 200, the notification is on its way.
                destination.send(rule, event(bucket, key, eventName, eTag, size, false));
                LocalLog.line("s3", eventName + " " + key + " -> " + target(rule));
            }
        }
        eventBridge.objectCreated(bucket, key, eTag);
    }

    private static String target(NotificationRule rule) {
        return rule.toQueue() ? rule.queueId() : rule.functionId();
    }

    /**
     * A removal's record has no size and no ETag, as S3 sends it; one S3 sends of its own accord (a lifecycle
     * expiration) names S3 as the principal and the source.
     */
    private byte[] event(String bucket, String key, String eventName, String eTag, Long size, boolean byS3) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", SamTemplate.LOCAL_REGION);
        record.put("eventTime", Instant.now().toString());
        record.put("eventName", eventName);
        record.putObject("userIdentity").put("principalId", byS3 ? "s3.amazonaws.com" : "AWS:LOCAL");
        record.putObject("requestParameters").put("sourceIPAddress", byS3 ? "s3.amazonaws.com" : "127.0.0.1");
        ObjectNode responseElements = record.putObject("responseElements");
        responseElements.put("x-amz-request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT));
        responseElements.put("x-amz-id-2", UUID.randomUUID().toString());
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "mediagate-local");
        ObjectNode bucketNode = s3.putObject("bucket");
        bucketNode.put("name", bucket);
        bucketNode.putObject("ownerIdentity").put("principalId", "LOCAL");
        bucketNode.put("arn", "arn:aws:s3:::" + bucket);
        ObjectNode object = s3.putObject("object");
        object.put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"));
        if (size != null) {
            object.put("size", size);
            object.put("eTag", eTag == null ? "" : eTag.replace("\"", ""));
        }
        object.put("sequencer", HexFormat.of().toHexDigits(sequencer.incrementAndGet()).toUpperCase(java.util.Locale.ROOT));
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        records.add(record);
        try {
            return JSON.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
