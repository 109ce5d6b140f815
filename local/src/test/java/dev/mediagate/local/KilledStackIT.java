package dev.mediagate.local;

import static dev.mediagate.local.PackagedJar.await;
import static dev.mediagate.local.PackagedJar.freePort;
import static dev.mediagate.local.PackagedJar.kill;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.testing.Images;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged stack ({@code java -jar}) killed with SIGKILL at the worst moments of an upload: right after its PUT was
 * answered, while the resizer processes it, and while its message waits out a failed receive. Each time it starts again
 * on the same {@code --data-dir}, and in the end every upload is {@code ready}, announced {@code file.uploaded} and
 * {@code file.ready} (one distinct {@code file.ready} id each: processed to the end once), with nothing dead-lettered.
 */
class KilledStackIT {

    @TempDir
    Path work;

    private final PackagedJar jar = new PackagedJar();

    @Test
    void aStackKilledAfterAPutDuringProcessingAndDuringARetryFinishesEveryUploadOnceWhenItStartsAgain() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        Path data = work.resolve("data");
        List<String> flags = List.of("--data-dir", data.toString(), "--api-port", String.valueOf(freePort()), "--s3-port",
                String.valueOf(freePort()), "--cdn-port", String.valueOf(freePort()), "--webhook-url", receiver.url().toString());
        StackClient client = new StackClient("http://127.0.0.1:" + flags.get(3));
        Map<String, String> uploads = new LinkedHashMap<>();
        byte[] photo = Images.jpeg(Images.quadrants(4000, 3000));

        Process stack = jar.start(flags);
        String token = client.token("killed");
        String afterPut = client.upload(token, "after-put.jpg", "image/jpeg", photo).get("fileId").asText();
        kill(stack);
        uploads.put(afterPut, "right after its PUT");

        stack = jar.start(flags);
        String duringProcessing = client.upload(token, "during-processing.jpg", "image/jpeg", photo).get("fileId").asText();
        await(() -> inFlight(data, duringProcessing), "the resizer has received " + duringProcessing);
        kill(stack);
        uploads.put(duringProcessing, "during processing");

        stack = jar.start(flags);
        int seen = jar.lines();
        String duringRetry = client.upload(token, "during-retry.jpg", "image/jpeg", photo).get("fileId").asText();
        await(() -> inFlight(data, duringRetry), "the resizer has received " + duringRetry);
        // The resizer's instance dies (as a Lambda instance can): its invocation fails, and the message waits out the
        // visibility timeout before it is received again. The stack is killed in that wait.
        stack.descendants().filter(child -> child.info().commandLine().orElse("").contains("FunctionProcess"))
                .forEach(ProcessHandle::destroyForcibly);
        Process waiting = stack;
        await(() -> jar.since(seen).stream().anyMatch(line -> line.contains("comes back after the visibility timeout")),
                "the failed receive of " + duringRetry);
        kill(waiting);
        uploads.put(duringRetry, "during a retry back-off");

        stack = jar.start(flags);
        try {
            for (Map.Entry<String, String> upload : uploads.entrySet()) {
                String fileId = upload.getKey();
                await(() -> status(client, token, fileId).equals("ready"), fileId + " (killed " + upload.getValue() + ") ready");
                await(() -> types(receiver, fileId, "file.ready").size() == 1 && types(receiver, fileId, "file.uploaded").size() >= 1,
                        fileId + "'s events");
                assertThat(types(receiver, fileId, "file.ready")).as("one file.ready for %s (killed %s)", fileId, upload.getValue()).hasSize(1);
            }
            // A message is deleted once its invocation returns, which may be a moment after its file.ready went out.
            await(() -> queued(data).isEmpty(), "every message deleted once handled, left: " + queued(data));
            assertThat(data.resolve("dlq")).as("nothing dead-lettered").doesNotExist();
        } finally {
            stack.destroy();
            stack.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** The distinct event ids of that type the webhook receiver got for the file (deliveries repeat an id). */
    private static Set<String> types(WebhookReceiver receiver, String fileId, String type) {
        Set<String> ids = new TreeSet<>();
        for (WebhookReceiver.Delivery delivery : receiver.deliveriesFor(fileId)) {
            try {
                JsonNode event = StackClient.JSON.readTree(delivery.body());
                if (event.path("type").asText().equals(type)) {
                    ids.add(event.path("id").asText());
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return ids;
    }

    private static String status(StackClient client, String token, String fileId) {
        try {
            JsonNode file = client.json(client.send(client.get("/files/" + fileId, token)));
            return file.path("status").asText();
        } catch (Exception e) {
            return "unreachable: " + e.getMessage();
        }
    }

    private static List<Path> queued(Path data) {
        try (Stream<Path> left = Files.list(data.resolve("queues/ResizerQueue"))) {
            return left.filter(f -> f.toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file's message in the on-disk queue has been received (its receive count is kept before the handler runs). */
    private static boolean inFlight(Path data, String fileId) {
        Path queue = data.resolve("queues/ResizerQueue");
        if (!Files.isDirectory(queue)) {
            return false;
        }
        try (Stream<Path> files = Files.list(queue)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                try {
                    JsonNode message = StackClient.JSON.readTree(file.toFile());
                    if (message.path("body").asText().contains(fileId) && message.path("receiveCount").asInt() >= 1) {
                        return true;
                    }
                } catch (IOException e) {
                    // replaced while read: look again
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
