package dev.mediagate.core.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * What the API puts on the resizer's queue to have one file made again ({@code POST …/reprocess}, a focus change):
 * {@code {"reprocess": {"bucket": "…", "key": "originals/{owner}/{fileId}", "force": false}}}. It sits in the same queue
 * as S3's notifications, so the resizer's capped concurrency and retries cover it too; its one top-level field tells it
 * apart from an S3 notification ({@code Records}, or {@code Event} for S3's test message). Without {@code force} the
 * resizer leaves a file whose manifest already has today's recipe as it is, so a message delivered twice, or sent for a
 * file made current meanwhile, costs a manifest read.
 */
public record ReprocessMessage(String bucket, String key, boolean force) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FIELD = "reprocess";

    public ReprocessMessage {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("a reprocess message names its bucket");
        }
        if (key == null || !key.startsWith(MediaKeys.ORIGINALS_PREFIX)) {
            throw new IllegalArgumentException("a reprocess message names an original (originals/…)");
        }
    }

    /** The message for one file's original. */
    public static ReprocessMessage of(String bucket, Owner owner, FileId fileId, boolean force) {
        return new ReprocessMessage(bucket, MediaKeys.original(owner, fileId), force);
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.putObject(FIELD).put("bucket", bucket).put("key", key).put("force", force);
        return root.toString();
    }

    /**
     * The message in {@code body}; empty when the body is not one (an S3 notification); an error naming what is wrong
     * when it is one but malformed.
     */
    public static Optional<ReprocessMessage> parse(String body) {
        if (body == null) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject() || !root.has(FIELD)) {
            return Optional.empty();
        }
        JsonNode message = root.get(FIELD);
        JsonNode force = message.path("force");
        if (!message.path("bucket").isTextual() || !message.path("key").isTextual() || !(force.isMissingNode() || force.isBoolean())) {
            throw new IllegalArgumentException("a reprocess message needs a bucket and a key (strings) and at most a boolean force");
        }
        return Optional.of(new ReprocessMessage(message.get("bucket").textValue(), message.get("key").textValue(), force.asBoolean(false)));
    }
}
