package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.testing.Images;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as a person starts it: the packaged jar ({@code local/target/mediagate-local.jar} with its
 * {@code lib/}, as {@code ./mvnw install} leaves it and {@code local/run} runs it) in a JVM of its own, never Maven's
 * test classpath, with every documented flag. When it cannot start it says why on one line and exits non-zero within
 * seconds, whatever was already running.
 */
class PackagedStackIT {

    private static final Path JAR = Checkout.ROOT.resolve("local/target/mediagate-local.jar");
    private static final String READY = "mediagate local stack ready:";

    @TempDir
    Path work;

    @Test
    void everyDocumentedFlagWorksFromThePackagedJar() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        int api = freePort();
        int s3 = freePort();
        int cdn = freePort();
        Path data = work.resolve("data");

        Process stack = start("--data-dir", data.toString(), "--api-port", String.valueOf(api), "--s3-port", String.valueOf(s3),
                "--cdn-port", String.valueOf(cdn), "--webhook-url", receiver.url().toString(),
                "--parameter-overrides", "MaxUploadBytes=2147483648 MultipartThresholdBytes=33554432");
        try {
            String ready = awaitLine(stack, READY, Duration.ofMinutes(3));

            assertThat(ready).contains("api=http://127.0.0.1:" + api, "s3=http://127.0.0.1:" + s3, "cdn=http://127.0.0.1:" + cdn);
            assertThat(data.resolve("keys/cloudfront-private.pem")).as("--data-dir").isRegularFile();
            assertThat(data.resolve("keys/webhook-secret")).as("--webhook-url's secret").isRegularFile();
            StackClient client = new StackClient("http://127.0.0.1:" + api);
            String token = client.token("packaged");
            // --parameter-overrides reached the API: 100 MiB is above the default limit, and above 32 MiB goes in parts.
            JsonNode large = StackClient.json(client.send(client.post("/uploads", token,
                    "{\"filename\":\"large.pdf\",\"contentType\":\"application/pdf\",\"size\":104857600}")), 201);
            assertThat(large.at("/upload/method").asText()).isEqualTo("multipart");
            // --webhook-url: a processed upload is announced there.
            String fileId = client.upload(token, "photo.jpg", "image/jpeg", Images.jpeg(Images.quadrants(64, 48))).get("fileId").asText();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (receiver.deliveriesFor(fileId).stream().noneMatch(d -> new String(d.body(), StandardCharsets.UTF_8).contains("file.ready"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(receiver.deliveriesFor(fileId)).as("webhooks for " + fileId)
                    .anyMatch(d -> new String(d.body(), StandardCharsets.UTF_8).contains("file.ready"));
        } finally {
            stack.destroy();
            assertThat(stack.waitFor(60, TimeUnit.SECONDS)).as("Ctrl-C (SIGTERM) stops it").isTrue();
        }
    }

    /**
     * {@code HeicSupport=true}: the stack builds the HEIC layer as {@code sam build} lays it out and the resizer loads
     * its libheif; an iPhone-shaped HEIC (turned a quarter by its irot, EXIF saying the same) ends ready and upright.
     */
    @Test
    void withHeicSupportTheHeicLayerIsLoadedAndAnIphoneHeicEndsReadyAndUpright() throws Exception {
        int api = freePort();
        Process stack = start("--data-dir", work.resolve("heic").toString(), "--api-port", String.valueOf(api), "--s3-port", "0",
                "--cdn-port", "0", "--parameter-overrides", "HeicSupport=true AllowedContentTypes=image/jpeg,image/heic,image/heif");
        try {
            awaitLine(stack, READY, Duration.ofMinutes(5));
            StackClient client = new StackClient("http://127.0.0.1:" + api);
            String token = client.token("heic");
            byte[] heic = dev.mediagate.testing.HeicFiles.heic(Images.quadrants(300, 200), 6, work);

            String fileId = client.upload(token, "IMG_0001.HEIC", "image/heic", heic).get("fileId").asText();
            JsonNode file = client.waitUntilDone(fileId, token);

            assertThat(file.get("status").asText()).as(file.toString()).isEqualTo("ready");
            java.awt.image.BufferedImage thumb = Images.read(java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(file.at("/variants/thumb/url").asText())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(thumb.getWidth()).as("upright: landscape").isEqualTo(300);
            assertThat(thumb.getHeight()).isEqualTo(200);
            assertThat(new java.awt.Color(thumb.getRGB(75, 50)).getRed()).as("red top left").isGreaterThan(200);
            assertThat(new java.awt.Color(thumb.getRGB(225, 50)).getBlue()).as("blue top right").isGreaterThan(200);
        } finally {
            stack.destroy();
            assertThat(stack.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aBadFlagIsOneLineAndANonZeroExit() throws Exception {
        Process stack = start("--data-dir", work.toString(), "--no-such-flag");

        List<String> lines = finish(stack, Duration.ofSeconds(60));

        assertThat(stack.exitValue()).isNotZero();
        assertThat(lines).singleElement().asString().contains("--no-such-flag");
    }

    @Test
    void aStartThatFailsAfterS3IsRunningIsOneLineAndANonZeroExitNotAHang() throws Exception {
        // The resizer refuses this VARIANTS at its init, after S3Proxy's threads have started.
        Process stack = start("--data-dir", work.toString(), "--api-port", "0", "--s3-port", "0", "--cdn-port", "0",
                "--parameter-overrides", "Variants=thumb=0x0");

        List<String> lines = finish(stack, Duration.ofMinutes(2));

        assertThat(stack.exitValue()).isNotZero();
        assertThat(lines).singleElement().asString().startsWith("mediagate local stack could not start:").contains("VARIANTS");
    }

    /** {@code java -jar}, as local/run runs it (a JDK >= 25, native access granted). */
    private Process start(String... flags) throws IOException {
        assertThat(JAR).as("the packaged stack (./mvnw package)").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Checkout.ROOT.toFile()).redirectErrorStream(true);
        return builder.start();
    }

    /** Reads the output until a line starting with {@code prefix}; fails if the process ends or the time passes first. */
    private static String awaitLine(Process process, String prefix, Duration within) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
            List<String> seen = new ArrayList<>();
            try {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    if (line.startsWith(prefix)) {
                        Thread.ofVirtual().start(() -> drain(output));
                        return line;
                    }
                    seen.add(line);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("the stack ended before '" + prefix + "':\n" + String.join("\n", seen));
        });
        return found.get(within.toSeconds(), TimeUnit.SECONDS);
    }

    /** Every line the process prints until it exits, which it must do within the time given. */
    private static List<String> finish(Process process, Duration within) throws Exception {
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                        .filter(line -> !line.isBlank()).toList();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        boolean exited = process.waitFor(within.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("exits by itself within " + within + " (no hang)").isTrue();
        return lines.get(10, TimeUnit.SECONDS);
    }

    private static void drain(BufferedReader output) {
        try {
            while (output.readLine() != null) {
                // the stack's log, not needed here
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
