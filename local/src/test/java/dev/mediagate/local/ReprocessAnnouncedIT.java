package dev.mediagate.local;

import static dev.mediagate.local.PackagedJar.await;
import static dev.mediagate.local.PackagedJar.freePort;
import static dev.mediagate.local.PackagedJar.stop;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.testing.Images;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a user runs it: files uploaded to the stack and announced {@code file.ready}; {@code reprocess
 * --all} beside the running stack is done by that stack, each file announced again at once (and another configuration
 * is refused: the stack runs with its own); the stack stopped; {@code reprocess --stale} with one more variant; the
 * stack started again with that configuration announces each reprocessed file once more, with the new variant
 * ({@code reprocess} keeps S3's notifications of its writes for the stack's next start); a second {@code --stale}
 * makes and announces nothing.
 */
class ReprocessAnnouncedIT {

    private static final String ONE_MORE_VARIANT = "Variants=thumb=320x320,medium=1024x1024,large=2048x2048,tiny=64x64";
    private static final int FILES = 3;

    @TempDir
    Path work;

    private final PackagedJar jar = new PackagedJar();

    @Test
    void aReprocessingOnTheStoppedStackIsAnnouncedOnceAFileWhenTheStackStartsAgain() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        Path data = work.resolve("data");
        int apiPort = freePort();
        List<String> flags = List.of("--data-dir", data.toString(), "--api-port", String.valueOf(apiPort), "--s3-port",
                String.valueOf(freePort()), "--cdn-port", String.valueOf(freePort()), "--webhook-url", receiver.url().toString());
        List<String> changed = new ArrayList<>(flags);
        changed.addAll(List.of("--parameter-overrides", ONE_MORE_VARIANT));
        StackClient client = new StackClient("http://127.0.0.1:" + apiPort);
        List<String> fileIds = new ArrayList<>();

        Process stack = jar.start(flags);
        try {
            String token = client.token("reprocessed");
            for (int i = 0; i < FILES; i++) {
                fileIds.add(client.upload(token, "photo-" + i + ".jpg", "image/jpeg", Images.jpeg(Images.quadrants(640, 480)))
                        .get("fileId").asText());
            }
            for (String fileId : fileIds) {
                await(() -> ready(receiver, fileId).size() == 1, fileId + "'s first file.ready");
            }
            Command refused = reprocess(data, "--stale", "--parameter-overrides", ONE_MORE_VARIANT);
            assertThat(refused.exitCode()).as("another configuration beside the running stack: " + refused.output()).isEqualTo(2);
            assertThat(refused.output()).contains("API on http://127.0.0.1:" + apiPort)
                    .contains("it reprocesses with the configuration it started with");

            Command byTheStack = reprocess(data, "--all");

            assertThat(byTheStack.exitCode()).as(byTheStack.output()).isZero();
            assertThat(byTheStack.lastLine()).isEqualTo("reprocess: 3 files, 3 succeeded, 0 failed, 0 already current");
            for (String fileId : fileIds) {
                await(() -> ready(receiver, fileId).size() == 2, fileId + "'s file.ready from the running stack's reprocessing");
            }
        } finally {
            stop(stack);
        }

        Command reprocessed = reprocess(data, "--stale", "--parameter-overrides", ONE_MORE_VARIANT);
        assertThat(reprocessed.exitCode()).as(reprocessed.output()).isZero();
        assertThat(reprocessed.lastLine()).isEqualTo("reprocess: 3 files, 3 succeeded, 0 failed, 0 already current");
        assertThat(ready(receiver, fileIds.get(0))).as("nothing announced while the stack is stopped").hasSize(2);

        stack = jar.start(changed);
        try {
            for (String fileId : fileIds) {
                await(() -> ready(receiver, fileId).size() == 3, fileId + "'s file.ready after the reprocessing");
                JsonNode latest = ready(receiver, fileId).values().stream().filter(event -> event.at("/data/variants").has("tiny"))
                        .findFirst().orElseThrow(() -> new AssertionError(fileId + ": no file.ready names the new variant"));
                assertThat(latest.at("/data/status").asText()).isEqualTo("ready");
            }
            await(() -> pending(data).isEmpty(), "the kept events delivered, left: " + pending(data));
        } finally {
            stop(stack);
        }

        Command again = reprocess(data, "--stale", "--parameter-overrides", ONE_MORE_VARIANT);
        assertThat(again.lastLine()).isEqualTo("reprocess: 3 files, 0 succeeded, 0 failed, 3 already current");
        assertThat(pending(data)).as("a run that writes nothing keeps no event for the next start").isEmpty();
        assertThat(data.resolve("dlq")).as("nothing dead-lettered").doesNotExist();
    }

    /** The file's distinct {@code file.ready} events by id (a delivery may repeat one). */
    private static Map<String, JsonNode> ready(WebhookReceiver receiver, String fileId) {
        Map<String, JsonNode> events = new TreeMap<>();
        for (WebhookReceiver.Delivery delivery : receiver.deliveriesFor(fileId)) {
            try {
                JsonNode event = StackClient.JSON.readTree(delivery.body());
                if (event.path("type").asText().equals("file.ready")) {
                    events.put(event.path("id").asText(), event);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return events;
    }

    /** Async invocations kept on disk for (or by) the stack. */
    private static List<Path> pending(Path data) {
        Path spool = data.resolve("pending/async-invocations");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(file -> file.toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record Command(int exitCode, String output) {
        String lastLine() {
            List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    /** {@code java -jar mediagate-local.jar reprocess …}; standard output's last line is the summary. */
    private static Command reprocess(Path data, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("reprocess", "--data-dir", data.toString()));
        command.addAll(List.of(arguments));
        Path stdout = Files.createTempFile("reprocess", ".out");
        Path stderr = Files.createTempFile("reprocess", ".err");
        Process process = new ProcessBuilder(PackagedJar.command(command)).directory(Checkout.ROOT.toFile()).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("reprocess ended").isTrue();
        String out = Files.readString(stdout);
        String err = Files.readString(stderr);
        return new Command(process.exitValue(), process.exitValue() == 0 ? out : err + out);
    }
}
