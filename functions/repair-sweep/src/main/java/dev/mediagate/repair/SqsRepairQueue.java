package dev.mediagate.repair;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Repairs on the resizer's queue, in the shape of the S3 event notification the resizer already reads from it
 * ({@code {"Records": [{"s3": {"bucket": {"name"}, "object": {"key"}}}]}}, the key URL-encoded as S3 encodes it), so
 * the original is processed exactly as a new upload is, with the queue's retries and failure queue. The record says
 * where it comes from: {@code eventSource} {@code mediagate:repair}, {@code eventName} {@code Repair:NoManifest}, never
 * one of S3's own names.
 */
final class SqsRepairQueue implements RepairQueue {

    static final String EVENT_SOURCE = "mediagate:repair";
    static final String EVENT_NAME = "Repair:NoManifest";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final Clock clock;

    SqsRepairQueue(SqsClient sqs, String queueUrl, Clock clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.clock = clock;
    }

    @Override
    public void send(String bucket, String originalKey) {
        sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody(body(bucket, originalKey, clock)));
    }

    static String body(String bucket, String originalKey, Clock clock) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode record = root.putArray("Records").addObject();
        record.put("eventVersion", "2.1").put("eventSource", EVENT_SOURCE).put("eventTime", clock.instant().toString())
                .put("eventName", EVENT_NAME);
        ObjectNode s3 = record.putObject("s3");
        s3.putObject("bucket").put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
        // As S3 writes keys in notifications: form-encoded, slashes left as they are.
        s3.putObject("object").put("key", URLEncoder.encode(originalKey, StandardCharsets.UTF_8).replace("%2F", "/"));
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
