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
 * there ends that process and that invocation, which is retried and then recorded as failed; the stack goes on.
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
        try (var records = Files.walk(data.resolve("dlq"))) {
            assertThat(records.filter(Files::isRegularFile).map(Path::toString)).as("the on-failure record")
                    .anyMatch(name -> name.contains("ImageResizerFunction"));
        }
        String second = client.upload(alice, "again.jpg", "image/jpeg", Images.jpeg(Images.quadrants(64, 48))).get("fileId").asText();
        assertThat(awaitEvent(second, "file.uploaded")).as("a fresh resizer process takes the next upload").isNotNull();
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
