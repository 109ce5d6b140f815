package dev.mediagate.api.upload;

import static dev.mediagate.api.ApiEvents.asSubject;
import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.invoke;
import static dev.mediagate.api.ApiEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.api.ApiEvents.ApiResponse;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.upload.UploadConfig;
import dev.mediagate.core.upload.UploadRequest;
import dev.mediagate.testing.LocalS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import dev.mediagate.core.aws.S3EndpointConfig;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** {@code events/api-create-upload.json} through the real handler, then the bytes through S3Proxy with SigV4 checks on. */
@Tag("events")
class PresignedUploadTest {

    private final LocalS3 s3 = LocalS3.shared();

    @Test
    void answers201WithAnUploadThatS3AcceptsAndStoresWithTheSignedHeaders() throws Exception {
        ApiResponse response = invoke(event("api-create-upload.json"));

        assertThat(response.status()).isEqualTo(201);
        JsonNode body = response.body();
        String fileId = body.get("fileId").asText();
        assertThat(fileId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(response.header("Location")).isEqualTo("/files/" + fileId);
        assertThat(body.get("status").asText()).isEqualTo("awaiting-upload");
        assertThat(body.at("/upload/method").asText()).isEqualTo("PUT");
        assertThat(Instant.parse(body.at("/upload/expiresAt").asText()))
                .isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(301));
        assertThat(headers(body)).containsEntry("Content-Type", "image/jpeg")
                .containsEntry("If-None-Match", "*")
                .containsEntry("Content-Disposition", "attachment; filename*=UTF-8''IMG_0001.jpg")
                .containsEntry("x-amz-meta-filename", "IMG_0001.jpg");

        HttpResponse<String> put = put(body, headers(body), new byte[48213]);

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        String key = "originals/" + Owner.of("https://auth.example.com/", "alice").value() + "/" + fileId;
        HeadObjectResponse stored = s3.client().headObject(h -> h.bucket(LocalS3.BUCKET).key(key));
        assertThat(stored.contentType()).isEqualTo("image/jpeg");
        assertThat(stored.contentLength()).isEqualTo(48213);
        assertThat(stored.contentDisposition()).isEqualTo("attachment; filename*=UTF-8''IMG_0001.jpg");
        assertThat(stored.metadata()).containsEntry("filename", "IMG_0001.jpg");
    }

    @Test
    void s3RefusesAnotherContentType() throws Exception {
        JsonNode body = invoke(event("api-create-upload.json")).body();
        Map<String, String> headers = headers(body);
        headers.put("Content-Type", "text/html");

        assertThat(put(body, headers, new byte[48213]).statusCode()).isEqualTo(403);
    }

    @Test
    void s3RefusesOneByteMoreThanDeclared() throws Exception {
        JsonNode body = invoke(event("api-create-upload.json")).body();

        assertThat(put(body, headers(body), new byte[48214]).statusCode()).isEqualTo(403);
    }

    @Test
    void s3RefusesASecondPutToTheSameUrlWith412() throws Exception {
        JsonNode body = invoke(event("api-create-upload.json")).body();
        assertThat(put(body, headers(body), new byte[48213]).statusCode()).isEqualTo(200);

        assertThat(put(body, headers(body), new byte[48213]).statusCode()).isEqualTo(412);
    }

    @Test
    void s3RefusesAnUploadWithoutIfNoneMatch() throws Exception {
        JsonNode body = invoke(event("api-create-upload.json")).body();
        Map<String, String> headers = headers(body);
        headers.remove("If-None-Match");

        assertThat(put(body, headers, new byte[48213]).statusCode()).isEqualTo(403);
    }

    @Test
    void s3RefusesATamperedKey() throws Exception {
        JsonNode body = invoke(event("api-create-upload.json")).body();
        String url = body.at("/upload/url").asText();
        String fileId = body.get("fileId").asText();
        String otherId = fileId.substring(0, fileId.length() - 1) + (fileId.endsWith("0") ? "1" : "0");

        assertThat(put(URI.create(url.replace(fileId, otherId)), headers(body), new byte[48213]).statusCode()).isEqualTo(403);
    }

    @Test
    void s3RefusesATamperedSignature() throws Exception {
        JsonNode body = invoke(event("api-create-upload.json")).body();
        String url = body.at("/upload/url").asText();
        int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        String tampered = url.substring(0, at) + (url.charAt(at) == 'a' ? 'b' : 'a') + url.substring(at + 1);

        assertThat(put(URI.create(tampered), headers(body), new byte[48213]).statusCode()).isEqualTo(403);
    }

    @Test
    void s3RefusesAnExpiredUrl() throws Exception {
        UploadConfig oneSecond = UploadConfig.from(new Settings(Map.of(
                "MEDIA_BUCKET", LocalS3.BUCKET, "UPLOAD_URL_TTL_SECONDS", "1")::get));
        S3PutPresigner presigner = new S3PutPresigner(new S3EndpointConfig(Optional.of(s3.endpoint()), true),
                Region.US_EAST_1, StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)),
                Clock.systemUTC());
        UploadTicket ticket = new UploadSigner(presigner, oneSecond).sign(Owner.of("https://auth.example.com/", "alice"),
                new UploadRequest("late.jpg", dev.mediagate.core.files.FileType.JPEG, 10, Optional.empty(),
                        dev.mediagate.core.files.Visibility.PRIVATE, false));
        Thread.sleep(2_100);

        HttpResponse<String> put = put(URI.create(ticket.url()), new java.util.HashMap<>(ticket.headers()), new byte[10]);

        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(put.body()).contains("expired");
    }

    @Test
    void aSignedChecksumMakesS3RefuseOtherBytesOfTheSameLength() throws Exception {
        byte[] photo = new byte[1000];
        new Random(7).nextBytes(photo);
        String checksum = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(photo));
        ObjectNode event = withBody(event("api-create-upload.json"),
                "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":1000,\"checksumSha256\":\"" + checksum + "\"}");
        JsonNode first = invoke(event).body();
        JsonNode second = invoke(event).body();
        assertThat(headers(first)).containsEntry("x-amz-checksum-sha256", checksum);

        byte[] other = photo.clone();
        other[500] ^= 1;
        assertThat(put(second, headers(second), other).statusCode()).isBetween(400, 403);
        assertThat(put(first, headers(first), photo).statusCode()).isEqualTo(200);
    }

    @Test
    void eachCallerUploadsUnderTheirOwnOwnerSegmentOnly() {
        String alice = Owner.of("https://auth.example.com/", "alice").value();
        String bob = Owner.of("https://auth.example.com/", "bob").value();

        String aliceUrl = invoke(event("api-create-upload.json")).body().at("/upload/url").asText();
        String bobUrl = invoke(asSubject(event("api-create-upload.json"), "bob")).body().at("/upload/url").asText();

        assertThat(aliceUrl).contains("/originals/" + alice + "/").doesNotContain(bob);
        assertThat(bobUrl).contains("/originals/" + bob + "/").doesNotContain(alice);
    }

    @Test
    void theBodyCannotChooseTheOwner() {
        String bob = Owner.of("https://auth.example.com/", "bob").value();
        ObjectNode forged = withBody(event("api-create-upload.json"),
                "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":10,\"owner\":\"" + bob + "\"}");

        assertThat(invoke(forged).body().at("/upload/url").asText()).doesNotContain(bob);
    }

    private static Map<String, String> headers(JsonNode body) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        body.at("/upload/headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        return headers;
    }

    private static HttpResponse<String> put(JsonNode body, Map<String, String> headers, byte[] bytes) throws Exception {
        return put(URI.create(body.at("/upload/url").asText()), headers, bytes);
    }

    private static HttpResponse<String> put(URI url, Map<String, String> headers, byte[] bytes) throws Exception {
        // Expect: 100-continue lets S3 refuse on the headers, before the body is sent, as SDKs do.
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach(request::header);
        for (int attempt = 1; ; attempt++) {
            // A fresh HTTP/1.1 connection per PUT. A server that refuses may close it while the body is still being
            // sent; the object is never stored then, so asking again for the answer is safe.
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }
}
