package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.testing.Images;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole log of the local stack as a person runs it (the packaged jar, every component's output: API Gateway's
 * stand-in, the functions, S3, the CDN edge, events) while a share link is created, opened, opened with a token never
 * issued, revoked and opened again, signed URLs and cookies are handed out and fetched, and a multipart upload is
 * signed: no line carries a share token, a bearer token, a CloudFront signature or a presigned URL's signature.
 */
class LocalStackLogsKeepSecretsIT {

    private static final Path JAR = Checkout.ROOT.resolve("local/target/mediagate-local.jar");
    private static final String READY = "mediagate local stack ready:";
    private static final String UNKNOWN_TOKEN = "Zm9yZ2VkLXRva2VuLXRoYXQtd2FzLW5ldmVyLWlzc3Vl";

    @TempDir
    Path work;

    @Test
    void noLineOfTheStacksLogCarriesATokenOrASignature() throws Exception {
        assertThat(JAR).as("the packaged stack (./mvnw package)").isRegularFile();
        Process stack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString(), "--data-dir", work.toString(),
                "--api-port", "0", "--s3-port", "0", "--cdn-port", "0")
                .directory(Checkout.ROOT.toFile()).redirectErrorStream(true).start();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> ready = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(stack.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    log.add(line);
                    if (line.startsWith(READY)) {
                        ready.set(line);
                        started.countDown();
                    }
                }
            } catch (IOException e) {
                // the stack ended
            }
            started.countDown();
        });
        List<String> secrets = new ArrayList<>(List.of("Signature=", "X-Amz-Signature", "X-Amz-Credential", "Policy=",
                "CloudFront-Signature", "Key-Pair-Id=", UNKNOWN_TOKEN));
        try {
            assertThat(started.await(3, TimeUnit.MINUTES)).isTrue();
            assertThat(ready.get()).as(String.join("\n", log)).isNotNull();
            String api = ready.get().replaceFirst(".*api=(\\S+).*", "$1");
            StackClient client = new StackClient(api);
            String alice = client.token("alice");
            secrets.add(alice);

            String fileId = client.upload(alice, "IMG_0001.jpg", "image/jpeg", Images.jpeg(Images.quadrants(64, 48))).get("fileId").asText();
            JsonNode view = client.waitUntilDone(fileId, alice);
            assertThat(view.get("status").asText()).isEqualTo("ready");
            assertThat(edge(client, view.at("/variants/thumb/url").asText())).isEqualTo(200);
            assertThat(client.send(client.post("/cdn-cookies", alice, "")).statusCode()).isEqualTo(204);
            JsonNode share = StackClient.json(client.send(client.post("/files/" + fileId + "/shares", alice, "{}")), 201);
            String sharePath = URI.create(share.get("url").asText()).getPath();
            secrets.add(sharePath.substring(sharePath.lastIndexOf('/') + 1));
            JsonNode shared = StackClient.json(client.send(client.get(sharePath, null)), 200);
            assertThat(edge(client, shared.at("/original/url").asText())).isEqualTo(200);
            assertThat(client.send(client.get("/shared/" + UNKNOWN_TOKEN, null)).statusCode()).isEqualTo(404);
            assertThat(client.send(client.get("/shared/" + UNKNOWN_TOKEN + "/more", null)).statusCode()).as("no such route").isEqualTo(404);
            assertThat(client.send(client.delete("/files/" + fileId + "/shares/" + share.get("shareId").asText(), alice)).statusCode())
                    .isEqualTo(204);
            assertThat(client.send(client.get(sharePath, null)).statusCode()).isEqualTo(404);
            JsonNode multipart = StackClient.json(client.send(client.post("/uploads", alice,
                    "{\"filename\":\"a.pdf\",\"contentType\":\"application/pdf\",\"size\":10,\"multipart\":true}")), 201);
            StackClient.json(client.send(client.post("/uploads/" + multipart.get("fileId").asText() + "/parts", alice,
                    "{\"uploadId\":\"" + multipart.at("/upload/uploadId").asText() + "\",\"partNumbers\":[1]}")), 200);
        } finally {
            stack.destroy();
            assertThat(stack.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join(Duration.ofSeconds(10));
        }

        for (String secret : secrets) {
            assertThat(log).as("lines with %s", secret.length() > 20 ? secret.substring(0, 20) + "…" : secret)
                    .noneMatch(line -> line.contains(secret));
        }
        assertThat(String.join("\n", log)).as("the stack's log names the route it served").contains("GET /shared/{token}");
    }

    private static int edge(StackClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build()).statusCode();
    }
}
