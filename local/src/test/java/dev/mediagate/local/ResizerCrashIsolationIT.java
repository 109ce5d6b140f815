package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.testing.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resizer runs native code (libvips), so the local stack runs it in a JVM of its own, as Lambda does: a crash
 * there ends that process and that invocation, whose queue message is received again, then announced as failed on the
 * queue's last receive and dead-lettered; the stack goes on.
 */
class ResizerCrashIsolationIT {

    private static LocalStack stack;
    private static StackClient client;
    private static Path data;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("mediagate-native-crash");
        stack = LocalStack.start(new LocalStack.Options(data, 0, 0, 0, Checkout.ROOT.resolve("template.yaml"))
                .withFunctionSetting(HaltOnManifestWrite.SETTING, "true"), Duration.ofMillis(100));
        client = new StackClient(stack);
    }

    @AfterAll
    static void stop() {
        stack.close();
        // The stack also sets its functions' settings in this JVM (for the functions it runs here): not for the next test.
        System.clearProperty(HaltOnManifestWrite.SETTING);
    }

    @Test
    void aResizerProcessThatCrashesOnEveryAttemptEndsFailedWhileTheStackKeepsServing() throws Exception {
        String alice = client.token("alice");

        String fileId = client.upload(alice, "crash.jpg", "image/jpeg", Images.jpeg(Images.quadrants(64, 48))).get("fileId").asText();
        JsonNode failed = awaitEvent(fileId, "file.failed");

        assertThat(failed.at("/data/status").asText()).isEqualTo("failed");
        assertThat(client.send(client.get("/me", alice)).statusCode()).as("the API still answers").isEqualTo(200);
        // The last receive announced file.failed; the receive after it moves the message to the dead-letter queue.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!deadLettered() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(deadLettered()).as("the queue's message in the dead-letter queue").isTrue();
        String second = client.upload(alice, "again.jpg", "image/jpeg", Images.jpeg(Images.quadrants(64, 48))).get("fileId").asText();
        assertThat(awaitEvent(second, "file.uploaded")).as("a fresh resizer process takes the next upload").isNotNull();
    }

    private static boolean deadLettered() throws java.io.IOException {
        if (!Files.isDirectory(data.resolve("dlq"))) {
            return false;
        }
        try (var records = Files.walk(data.resolve("dlq"))) {
            return records.filter(Files::isRegularFile).map(Path::toString).anyMatch(name -> name.contains("ImageResizerFunction"));
        }
    }

    private static JsonNode awaitEvent(String fileId, String type) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            Optional<JsonNode> event = stack.recentEvents().stream()
                    .filter(e -> e.at("/data/fileId").asText().equals(fileId) && e.get("type").asText().equals(type))
                    .findFirst();
            if (event.isPresent()) {
                return event.get();
            }
            assertThat(System.nanoTime()).as(type + " for " + fileId + ", events so far: " + stack.recentEvents()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
