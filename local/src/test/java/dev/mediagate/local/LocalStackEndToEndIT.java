package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.local.cli.Main;
import dev.mediagate.local.apigateway.DevTokens;
import dev.mediagate.testing.Images;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The whole stack on free ports, driven over HTTP as a frontend would. */
class LocalStackEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static Path data;
    static LocalStack stack;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private StackClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = RunningStack.get();
        data = RunningStack.data();
    }

    @org.junit.jupiter.api.BeforeEach
    void connect() {
        client = new StackClient(stack);
    }

    @Test
    void uploadsProcessesServesAndDeletesAFileEndToEnd() throws Exception {
        String alice = client.token("alice");
        byte[] photo = Images.withMetadata(Images.jpeg(Images.quadrants(1600, 1200)), 6, true, 0);

        JsonNode upload = StackClient.json(client.send(client.post("/uploads", alice, "{\"filename\":\"Été 2026.jpg\",\"contentType\":\"image/jpeg\",\"size\":" + photo.length + "}")), 201);
        String fileId = upload.get("fileId").asText();
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.at("/upload/url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(photo));
        upload.at("/upload/headers").properties().forEach(h -> put.header(h.getKey(), h.getValue().asText()));
        assertThat(client.send(put.build()).statusCode()).isEqualTo(200);

        JsonNode file = client.waitUntilDone(fileId, alice);
        assertThat(file.get("status").asText()).isEqualTo("ready");
        assertThat(file.get("width").asInt()).isEqualTo(1200);
        assertThat(file.get("height").asInt()).isEqualTo(1600);
        for (String name : new String[] {"thumb", "medium", "large"}) {
            HttpResponse<byte[]> variant = http.send(HttpRequest.newBuilder(URI.create(file.at("/variants/" + name + "/url").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(variant.statusCode()).as(name).isEqualTo(200);
            assertThat(variant.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            BufferedImage image = Images.read(variant.body());
            assertThat(image.getWidth()).isEqualTo(file.at("/variants/" + name + "/width").asInt());
            assertThat(image.getHeight()).isEqualTo(file.at("/variants/" + name + "/height").asInt());
        }
        Path uploaded = Files.write(data.resolve(fileId + "-original.jpg"), photo);
        assertThat(exiftoolGroups(uploaded)).as("exiftool reads the upload's metadata").contains("EXIF", "GPS", "XMP", "File:Comment");
        for (String name : new String[] {"thumb", "medium", "large"}) {
            byte[] variant = http.send(HttpRequest.newBuilder(URI.create(file.at("/variants/" + name + "/url").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            Path saved = Files.write(data.resolve(fileId + "-" + name + ".jpg"), variant);
            assertThat(exiftoolGroups(saved)).as(name + ": metadata exiftool finds")
                    .doesNotContain("EXIF", "GPS", "XMP", "ICC", "IPTC", "Photoshop", "File:Comment");
            HttpResponse<byte[]> webp = http.send(HttpRequest.newBuilder(URI.create(
                    file.at("/variants/" + name + "/alternates/image~1webp/url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(webp.statusCode()).as(name + ".webp").isEqualTo(200);
            assertThat(webp.headers().firstValue("Content-Type")).hasValue("image/webp");
            assertThat(Images.read(webp.body()).getWidth()).isEqualTo(file.at("/variants/" + name + "/width").asInt());
            Path savedWebp = Files.write(data.resolve(fileId + "-" + name + ".webp"), webp.body());
            assertThat(exiftoolGroups(savedWebp)).as(name + ".webp: metadata exiftool finds")
                    .doesNotContain("EXIF", "GPS", "XMP", "ICC", "IPTC", "Photoshop", "File:Comment");
        }
        assertThat(file.at("/srcset/image~1webp").asText()).as("the WebP srcset, narrowest first")
                .startsWith(file.at("/variants/thumb/alternates/image~1webp/url").asText() + " ");
        HttpResponse<byte[]> original = http.send(HttpRequest.newBuilder(URI.create(file.at("/original/url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(original.body()).isEqualTo(photo);
        assertThat(original.headers().firstValue("Content-Disposition")).hasValue("attachment; filename*=UTF-8''%C3%89t%C3%A9%202026.jpg");

        String thumb = file.at("/variants/thumb/url").asText();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(thumb.replace("thumb.jpg", "large.jpg").replace("Signature=", "Signature=A"))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(thumb.substring(0, thumb.indexOf('?')))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);

        String bob = client.token("bob");
        assertThat(client.send(client.get("/files/" + fileId, bob)).statusCode()).isEqualTo(404);
        assertThat(client.send(client.delete("/files/" + fileId, bob)).statusCode()).isEqualTo(404);

        assertThat(client.send(client.delete("/files/" + fileId, alice)).statusCode()).isEqualTo(204);
        assertThat(client.send(client.get("/files/" + fileId, alice)).statusCode()).isEqualTo(404);
        assertThat(stack.s3Client().listObjectsV2Paginator(l -> l.bucket(stack.bucket())).contents().stream()
                .map(S3Object::key)).noneMatch(key -> key.contains(fileId) && !key.startsWith("deletions/"));
    }

    /** The metadata exiftool, the reference reader, finds in a file, by family (EXIF, GPS, XMP, ICC, IPTC, File:Comment). */
    private static java.util.Set<String> exiftoolGroups(Path file) throws Exception {
        Path exiftool = dev.mediagate.testing.RequiredTools.require("exiftool", "exiftool (apt-get install libimage-exiftool-perl)");
        Process process = new ProcessBuilder(exiftool.toString(), "-j", "-G1", "-a", file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        java.util.Set<String> groups = new java.util.TreeSet<>();
        JSON.readTree(output).get(0).fieldNames().forEachRemaining(name -> {
            String group = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            groups.add(name.equals("File:Comment") ? name
                    : group.matches("IFD\\d|ExifIFD|InteropIFD|SubIFD\\d*") ? "EXIF"
                    : group.startsWith("XMP") ? "XMP" : group.startsWith("ICC") ? "ICC" : group);
        });
        return groups;
    }

    @Test
    void aRejectedUploadEndsRejectedWithItsReason() throws Exception {
        String alice = client.token("alice");
        byte[] html = "<html><script>alert(1)</script></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        JsonNode upload = client.upload(alice, "x.jpg", "image/jpeg", html);

        JsonNode file = client.waitUntilDone(upload.get("fileId").asText(), alice);

        assertThat(file.get("status").asText()).isEqualTo("rejected");
        assertThat(file.get("reason").asText()).isEqualTo("not-an-image");
    }

    @Test
    void anObjectCopiedIntoOriginalsIsProcessedToo() throws Exception {
        String owner = dev.mediagate.core.files.Owner.of("https://auth.example.com/", "carol").value();
        String fileId = dev.mediagate.core.files.FileId.random().value();
        var s3 = stack.s3Client();
        s3.putObject(p -> p.bucket(stack.bucket()).key("imports/source.jpg").contentType("image/jpeg"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(Images.jpeg(Images.quadrants(640, 480))));

        s3.copyObject(c -> c.sourceBucket(stack.bucket()).sourceKey("imports/source.jpg")
                .destinationBucket(stack.bucket()).destinationKey("originals/" + owner + "/" + fileId));

        JsonNode file = client.waitUntilDone(fileId, client.token("carol"));
        assertThat(file.get("status").asText()).isEqualTo("ready");
    }

    @Test
    void refusesMissingExpiredAndForeignTokensWithProblemJson() throws Exception {
        HttpResponse<String> none = client.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/files/x")).GET().build());
        String forged = client.token("alice").replaceFirst("\\.[^.]+$", ".c2lnbmF0dXJl");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(client.send(client.get("/files/x", forged)).statusCode()).isEqualTo(401);
        assertThat(client.send(client.get("/files/x", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.")).statusCode()).isEqualTo(401);
        java.security.KeyPair issuerKeys = LocalKeys.loadOrCreate(data.resolve("keys"), "token-issuer");
        java.time.Clock lastWeek = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofDays(-7));
        String otherIssuer = new DevTokens(issuerKeys, "https://evil.example/", java.util.List.of("mediagate"), java.time.Clock.systemUTC()).mint("alice");
        String otherAudience = new DevTokens(issuerKeys, "https://auth.example.com/", java.util.List.of("other-app"), java.time.Clock.systemUTC()).mint("alice");
        String expired = new DevTokens(issuerKeys, "https://auth.example.com/", java.util.List.of("mediagate"), lastWeek).mint("alice");
        String valid = new DevTokens(issuerKeys, "https://auth.example.com/", java.util.List.of("mediagate"), java.time.Clock.systemUTC()).mint("alice");
        assertThat(client.send(client.get("/files/x", otherIssuer)).statusCode()).isEqualTo(401);
        assertThat(client.send(client.get("/files/x", otherAudience)).statusCode()).isEqualTo(401);
        assertThat(client.send(client.get("/files/x", expired)).statusCode()).isEqualTo(401);
        assertThat(client.send(client.get("/files/x", valid)).statusCode()).isEqualTo(404);
    }

    @Test
    void s3AnswersTheBrowsersCorsPreflightForTheSignedHeaders() throws Exception {
        HttpRequest preflight = HttpRequest.newBuilder(URI.create(stack.s3Endpoint() + "/" + stack.bucket() + "/originals/x/y"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", stack.apiUrl())
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-disposition,content-type,if-none-match,x-amz-meta-filename")
                .build();

        HttpResponse<String> response = client.send(preflight);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(stack.apiUrl());
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("PUT");
    }

    @Test
    void servesTheDevConfigAndTheDemoPage() throws Exception {
        JsonNode config = StackClient.json(client.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/_local/config")).build()), 200);
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/")).build());

        assertThat(config.get("bucket").asText()).isEqualTo(stack.bucket());
        assertThat(config.get("cdnBaseUrl").asText()).isEqualTo(stack.cdnUrl());
        assertThat(config.has("s3Endpoint") && config.has("keyPairId") && config.has("issuer") && config.has("audience")).isTrue();
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>mediagate");
    }

    @Test
    void invokesAFunctionWithATemplateEventAsSamLocalInvokeDoes() throws Exception {
        Path event = Checkout.ROOT.resolve("events/api-create-upload.json");
        Path output = data.resolve("invoke-output.json");
        java.io.PrintStream stdout = System.out;
        try (java.io.PrintStream capture = new java.io.PrintStream(Files.newOutputStream(output))) {
            System.setOut(capture);
            assertThat(Main.invoke(java.util.List.of("MediaApiFunction", "--event", event.toString(),
                    "--data-dir", data.toString(), "--template", Checkout.ROOT.resolve("template.yaml").toString()))).isZero();
        } finally {
            System.setOut(stdout);
        }
        JsonNode response = JSON.readTree(Files.readString(output).lines().reduce((a, b) -> b).orElseThrow());
        assertThat(response.get("statusCode").asInt()).isEqualTo(201);
    }

    @Test
    void invokesTheResizerWithTheQueuedS3EventFile() throws Exception {
        Path output = data.resolve("invoke-resizer.json");
        java.io.PrintStream stdout = System.out;
        try (java.io.PrintStream capture = new java.io.PrintStream(Files.newOutputStream(output))) {
            System.setOut(capture);
            assertThat(Main.invoke(java.util.List.of("ImageResizerFunction", "--event",
                    Checkout.ROOT.resolve("events/sqs-s3-object-created.json").toString(), "--data-dir", data.toString(),
                    "--template", Checkout.ROOT.resolve("template.yaml").toString()))).isZero();
        } finally {
            System.setOut(stdout);
        }
        // The upload's original is not in this bucket, the hand-copied key is outside the scheme, the third message is
        // S3's test message: all three are done with, none comes back.
        JsonNode response = JSON.readTree(Files.readString(output).lines().reduce((a, b) -> b).orElseThrow());
        assertThat(response.get("batchItemFailures").isArray()).as(response.toString()).isTrue();
        assertThat(response.get("batchItemFailures")).isEmpty();
    }
}
