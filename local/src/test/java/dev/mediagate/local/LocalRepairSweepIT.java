package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.local.s3.LocalS3Server;
import dev.mediagate.testing.Images;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A lost notification, repaired: originals written into the running stack's bucket without S3 notifying anyone (through
 * a second S3Proxy over the same files, as if the event had been lost), one of them landed two hours ago. After the
 * repair sweep ({@code POST /_local/repair}, as {@code java -jar mediagate-local.jar repair} asks it) the old one is
 * {@code ready}, through the resizer's queue; the one younger than {@code RECONCILE_AFTER_MINUTES} is left alone.
 */
class LocalRepairSweepIT {

    @Test
    void anOriginalWhoseEventWasLostEndsReadyAfterTheSweepAndAYoungerOneIsLeft() throws Exception {
        LocalStack stack = RunningStack.get();
        StackClient client = new StackClient(stack);
        String alice = client.token("alice");
        String lost = putWithoutNotification(client, alice, Duration.ofHours(2));
        String young = putWithoutNotification(client, alice, Duration.ZERO);
        RunningStack.awaitQuiet();
        assertThat(status(client, lost, alice)).as("no event: nothing processed it").isEqualTo("processing");

        JsonNode sweep = StackClient.json(client.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/_local/repair"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 200);

        assertThat(sweep.path("state").asText()).isEqualTo("swept");
        assertThat(sweep.path("repaired").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(client.waitUntilDone(lost, alice).get("status").asText()).isEqualTo("ready");
        RunningStack.awaitQuiet();
        assertThat(status(client, young, alice)).as("younger than RECONCILE_AFTER_MINUTES")
                .isEqualTo("processing");
        assertThat(StackClient.json(client.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/_local/repair"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 200).path("repaired").asLong())
                .as("a second run: nothing more to repair").isZero();
    }

    @Test
    void aDeadLetterOfTheResizersQueueIsRedrivenToItAndEndsReady() throws Exception {
        LocalStack stack = RunningStack.get();
        StackClient client = new StackClient(stack);
        String alice = client.token("alice");
        String fileId = putWithoutNotification(client, alice, Duration.ZERO);
        String key = lastKey;
        // What the local queue writes when a message has been received maxReceiveCount times (LocalSqsQueue.deadLetter).
        Path deadLetters = RunningStack.data().resolve("dlq");
        Files.createDirectories(deadLetters);
        Path record = deadLetters.resolve("ImageResizerFunction-ResizerQueue-" + System.currentTimeMillis() + "-redrive-it.json");
        String notification = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":"
                + "{\"name\":\"" + stack.bucket() + "\"},\"object\":{\"key\":\"" + key + "\"}}}]}";
        Files.writeString(record, StackClient.JSON.writeValueAsString(Map.of("queue", "ResizerQueue", "function", "ImageResizerFunction",
                "failedAt", Instant.now().toString(), "messageId", "redrive-it", "receiveCount", 6, "body", notification)));

        JsonNode redrive = StackClient.json(client.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/_local/redrive"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 200);

        assertThat(redrive.path("moved").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(record).doesNotExist();
        assertThat(client.waitUntilDone(fileId, alice).get("status").asText()).isEqualTo("ready");
    }

    private static String status(StackClient client, String fileId, String token) throws Exception {
        return StackClient.json(client.send(client.get("/files/" + fileId, token)), 200).get("status").asText();
    }

    /**
     * An upload whose bytes land, with the headers the API signed, in the stack's bucket through a second S3Proxy over
     * the same directory: no notification, as when S3's event is lost. Its file is dated {@code age} ago.
     */
    private static String putWithoutNotification(StackClient client, String token, Duration age) throws Exception {
        byte[] jpeg = Images.jpeg(Images.quadrants(320, 240));
        JsonNode upload = StackClient.json(client.send(client.post("/uploads", token,
                "{\"filename\":\"lost.jpg\",\"contentType\":\"image/jpeg\",\"size\":" + jpeg.length + "}")), 201);
        URI url = URI.create(upload.at("/upload/url").asText());
        String path = url.getPath();
        String bucket = path.substring(1, path.indexOf('/', 1));
        String key = path.substring(path.indexOf("/originals/") + 1);
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        upload.at("/upload/headers").properties().forEach(header -> {
            if (header.getKey().toLowerCase().startsWith("x-amz-meta-")) {
                metadata.put(header.getKey().substring("x-amz-meta-".length()).toLowerCase(), header.getValue().asText());
            }
        });
        Path storage = RunningStack.data().resolve("s3");
        try (LocalS3Server quiet = new LocalS3Server(storage, 0, List.of(), store -> store)) {
            S3Client s3 = quiet.client();
            s3.putObject(p -> p.bucket(bucket).key(key).contentType("image/jpeg").metadata(metadata)
                    .contentDisposition(upload.at("/upload/headers/Content-Disposition").asText(null)), RequestBody.fromBytes(jpeg));
            Path file = storage.resolve(bucket).resolve(key);
            assertThat(file).isRegularFile();
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
            Instant landed = s3.headObject(h -> h.bucket(bucket).key(key)).lastModified();
            assertThat(landed).as("S3Proxy dates an object by its file").isBefore(Instant.now().minus(age).plusSeconds(5));
        }
        lastKey = key;
        return upload.get("fileId").asText();
    }

    /** The original key of the last upload {@link #putWithoutNotification} wrote. */
    private static String lastKey;
}
