package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.testing.Images;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Issue #25's grace period end to end on the local stack, its lifecycle on a simulated clock: a file processed with the
 * default variants, its thumbnail fetched through the edge with its signed URL; the stack restarted with one more
 * variant and the file reprocessed ({@code POST …/reprocess}): the manifest names a new generation while the old URL
 * still serves the old bytes, each of them tagged {@code mediagate-status=superseded}. The template's lifecycle run 7
 * days later expires none of it; 9 days later the old generation is gone, its URL answers 403 as CloudFront with OAC
 * and no ListBucket would, and the new variants and the original remain.
 */
class SupersededGenerationExpiryIT {

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();
    /** The same edge port for both stacks: a signed URL names the distribution's host, port included. */
    private int cdnPort;

    @Test
    void oldUrlsServeThroughTheGracePeriodAndTheOldGenerationExpiresAfterIt() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            cdnPort = socket.getLocalPort();
        }
        String fileId;
        String owner;
        String oldThumbUrl;
        byte[] oldThumb;
        try (LocalStack stack = LocalStack.start(options(Map.of()), Duration.ofMillis(200))) {
            StackClient client = new StackClient(stack);
            String alice = client.token("alice");
            owner = client.json(client.send(client.get("/me", alice))).get("owner").asText();
            fileId = client.upload(alice, "photo.jpg", "image/jpeg", Images.jpeg(Images.quadrants(200, 150))).get("fileId").asText();
            JsonNode first = client.waitUntilDone(fileId, alice);
            assertThat(first.get("status").asText()).isEqualTo("ready");
            oldThumbUrl = first.at("/variants/thumb/url").asText();
            HttpResponse<byte[]> served = fetch(oldThumbUrl);
            assertThat(served.statusCode()).isEqualTo(200);
            oldThumb = served.body();
        }

        try (LocalStack stack = LocalStack.start(options(Map.of("Variants", "thumb=320x320,medium=1024x1024,large=2048x2048,tiny=64x64")),
                Duration.ofMillis(200))) {
            StackClient client = new StackClient(stack);
            String alice = client.token("alice");
            String backend = client.token("backend", "mediagate/service");
            S3Client s3 = stack.s3Client();
            String filePrefix = "variants/" + owner + "/" + fileId + "/";
            Set<String> firstGeneration = keys(s3, stack.bucket(), filePrefix);
            firstGeneration.remove(filePrefix + "manifest.json");
            assertThat(firstGeneration).isNotEmpty().contains(URI.create(oldThumbUrl).getPath().substring(1));

            assertThat(client.send(client.post("/owners/" + owner + "/files/" + fileId + "/reprocess", backend, "{}")).statusCode())
                    .isEqualTo(202);
            JsonNode reprocessed = awaitNewGeneration(client, fileId, alice, oldThumbUrl);
            assertThat(reprocessed.at("/variants/tiny/url").asText()).isNotEmpty();
            String newThumbUrl = reprocessed.at("/variants/thumb/url").asText();
            assertThat(fetch(oldThumbUrl).body()).as("the old URL still serves the old bytes").isEqualTo(oldThumb);
            awaitSuperseded(s3, stack.bucket(), firstGeneration);
            Set<String> everythingElse = keys(s3, stack.bucket(), "");
            everythingElse.removeAll(firstGeneration);
            everythingElse.removeIf(key -> key.startsWith("uploads/") || key.startsWith("deletions/"));
            assertThat(everythingElse).contains("originals/" + owner + "/" + fileId, filePrefix + "manifest.json",
                    URI.create(newThumbUrl).getPath().substring(1));

            JsonNode sevenDaysLater = lifecycle(stack, Instant.now().plus(Duration.ofDays(7)));
            assertThat(expiredKeys(sevenDaysLater)).as("7 days later: the URLs handed out may still be live")
                    .doesNotContainAnyElementsOf(firstGeneration).doesNotContainAnyElementsOf(everythingElse);
            assertThat(fetch(oldThumbUrl).statusCode()).isEqualTo(200);

            JsonNode nineDaysLater = lifecycle(stack, Instant.now().plus(Duration.ofDays(9)));
            assertThat(expiredBy(nineDaysLater, "expire-superseded-variants")).containsExactlyInAnyOrderElementsOf(firstGeneration);
            assertThat(expiredKeys(nineDaysLater)).doesNotContainAnyElementsOf(everythingElse);
            assertThat(keys(s3, stack.bucket(), "")).doesNotContainAnyElementsOf(firstGeneration).containsAll(everythingElse);
            HttpResponse<byte[]> gone = fetch(oldThumbUrl);
            assertThat(gone.statusCode()).as("a missing key through OAC without s3:ListBucket").isEqualTo(403);
            assertThat(new String(gone.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("AccessDenied");
            assertThat(fetch(newThumbUrl).statusCode()).isEqualTo(200);
            assertThat(StackClient.json(client.send(client.get("/files/" + fileId, alice)), 200).get("status").asText()).isEqualTo("ready");
        }
    }

    private LocalStack.Options options(Map<String, String> parameters) {
        return new LocalStack.Options(data, 0, 0, cdnPort, Checkout.ROOT.resolve("template.yaml"), Optional.empty(), true, Map.of(), parameters);
    }

    private HttpResponse<byte[]> fetch(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode lifecycle(LocalStack stack, Instant at) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/_local/lifecycle?at=" + at))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return StackClient.json(response, 200);
    }

    private static List<String> expiredKeys(JsonNode report) {
        List<String> keys = new ArrayList<>();
        report.path("rules").forEach(rule -> rule.path("keys").forEach(key -> keys.add(key.asText())));
        return keys;
    }

    private static List<String> expiredBy(JsonNode report, String ruleId) {
        List<String> keys = new ArrayList<>();
        report.path("rules").forEach(rule -> {
            if (rule.path("id").asText().equals(ruleId)) {
                rule.path("keys").forEach(key -> keys.add(key.asText()));
            }
        });
        return keys;
    }

    private static Set<String> keys(S3Client s3, String bucket, String prefix) {
        Set<String> keys = new TreeSet<>();
        s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).forEach(keys::add);
        return keys;
    }

    /** The view once its variants moved to a new generation (the resizer's run is asynchronous). */
    private static JsonNode awaitNewGeneration(StackClient client, String fileId, String token, String oldThumbUrl) throws Exception {
        String oldPath = URI.create(oldThumbUrl).getPath();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode view = StackClient.json(client.send(client.get("/files/" + fileId, token)), 200);
            if (!URI.create(view.at("/variants/thumb/url").asText()).getPath().equals(oldPath)) {
                return view;
            }
            assertThat(System.nanoTime()).as("the resizer made the variants again within a minute").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** The run marks the old generation after its manifest switched: each object copied onto itself with the tag. */
    private static void awaitSuperseded(S3Client s3, String bucket, Set<String> keys) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (String key : keys) {
            while (!s3.getObjectTagging(g -> g.bucket(bucket).key(key)).tagSet()
                    .contains(Tag.builder().key("mediagate-status").value("superseded").build())) {
                assertThat(System.nanoTime()).as("%s tagged superseded within 30 s", key).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }
}
