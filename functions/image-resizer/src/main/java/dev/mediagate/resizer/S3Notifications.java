package dev.mediagate.resizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a message S3 sends to an SQS queue: the event notification JSON ({@code {"Records": [...]}}, keys
 * URL-encoded as in a direct invocation, spaces as {@code +}), or the {@code s3:TestEvent} message S3 sends once when
 * the notification is configured ({@code {"Service": "Amazon S3", "Event": "s3:TestEvent", ...}}, no records). See
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
final class S3Notifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    private S3Notifications() {
    }

    /** One object a record names: its bucket and its key, decoded. */
    record S3Object(String bucket, String key) {
    }

    record Notification(boolean isTestEvent, List<S3Object> objects, boolean fromRepairSweep) {

        Notification(boolean isTestEvent, List<S3Object> objects) {
            this(isTestEvent, objects, false);
        }
    }

    /** @throws IllegalArgumentException when the body is neither (the message says why, without the body) */
    static Notification parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        if ("s3:TestEvent".equals(root.path("Event").asText()) && "Amazon S3".equals(root.path("Service").asText())) {
            return new Notification(true, List.of());
        }
        JsonNode records = root.path("Records");
        if (!records.isArray()) {
            throw new IllegalArgumentException("the body has no Records array");
        }
        List<S3Object> objects = new ArrayList<>();
        boolean fromRepairSweep = !records.isEmpty();
        for (JsonNode record : records) {
            fromRepairSweep &= ResizerWork.REPAIR_SOURCE.equals(record.path("eventSource").asText());
            String bucket = record.at("/s3/bucket/name").asText("");
            String key = record.at("/s3/object/key").asText("");
            if (bucket.isEmpty() || key.isEmpty()) {
                throw new IllegalArgumentException("a record names no bucket or no key");
            }
            // As the Java events library's getUrlDecodedKey: S3 encodes keys as form data (a space is '+').
            objects.add(new S3Object(bucket, URLDecoder.decode(key, StandardCharsets.UTF_8)));
        }
        return new Notification(false, List.copyOf(objects), fromRepairSweep);
    }
}
