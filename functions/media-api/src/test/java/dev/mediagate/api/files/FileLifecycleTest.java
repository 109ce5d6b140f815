package dev.mediagate.api.files;

import static dev.mediagate.api.ApiEvents.asSubject;
import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.api.ApiEvents.ApiResponse;
import dev.mediagate.core.files.FileStatus;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.local.cdn.CloudFrontVerifier;
import dev.mediagate.testing.CdnKeys;
import dev.mediagate.testing.LocalS3;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code events/api-get-file.json} and {@code events/api-delete-file.json} through the real handler against S3Proxy. */
@Tag("events")
class FileLifecycleTest {

    static final String OWNER = "ksbadydqkpcosn4zkgtwasmyjuchops2";
    static final String FILE_ID = "0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
    static final String ORIGINAL = "originals/" + OWNER + "/" + FILE_ID;
    static final String VARIANTS = "variants/" + OWNER + "/" + FILE_ID + "/";

    private final S3Client s3 = LocalS3.shared().client();
    private final CloudFrontVerifier verifier = new CloudFrontVerifier(Map.of(CdnKeys.KEY_PAIR_ID, CdnKeys.pair().getPublic()));

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            s3.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
    }

    @Test
    void goesFromNotFoundToProcessingToReadyAndAfterDeleteToNotFound() {
        assertNotFound(invoke(event("api-get-file.json")));

        putOriginal("image/jpeg");
        JsonNode processing = invoke(event("api-get-file.json")).body();
        assertThat(processing.get("status").asText()).isEqualTo("processing");
        assertThat(processing.get("filename").asText()).isEqualTo("Été 2026.jpg");
        assertThat(processing.has("original")).isFalse();

        putVariantsAndManifest(Manifest.READY, null);
        ApiResponse ready = invoke(event("api-get-file.json"));
        JsonNode body = ready.body();
        assertThat(ready.header("Cache-Control")).isEqualTo("private, no-store");
        assertThat(body.get("status").asText()).isEqualTo("ready");
        assertThat(body.get("width").asInt()).isEqualTo(3000);
        assertThat(body.get("height").asInt()).isEqualTo(4000);
        assertThat(body.get("placeholder").asText()).startsWith("data:image/jpeg;base64,");
        assertThat(body.get("thumbhash").asText()).isEqualTo("1QcSHQRYZ4ZoeIeIBwiXh3CHeHj3Z3cA");
        assertThat(body.get("dominantColor").asText()).isEqualTo("#3a5f8c");
        assertThat(body.get("animated").asBoolean(true)).isFalse();
        assertThat(body.has("frames")).isFalse();
        assertThat(body.has("focus")).as("focus: null until a PATCH sets one, as the contract shows it").isTrue();
        assertThat(body.get("focus").isNull()).isTrue();
        assertThat(body.at("/variants/thumb/width").asInt()).isEqualTo(240);
        assertThat(body.has("reason")).isFalse();
        Instant expiry = Instant.parse(body.get("urlsExpireAt").asText());
        assertThat(expiry).isAfter(Instant.now().plusSeconds(599));
        List<String> urls = List.of(body.at("/original/url").asText(), body.at("/variants/thumb/url").asText(),
                body.at("/variants/large/url").asText());
        assertThat(urls).allSatisfy(url -> assertThat(refusal(url)).as(url).isNull());
        assertThat(urls.get(0)).startsWith(CdnKeys.CDN_BASE_URL + "/" + ORIGINAL + "?");
        String thumbWebp = body.at("/variants/thumb/alternates/image~1webp/url").asText();
        assertThat(thumbWebp).startsWith(CdnKeys.CDN_BASE_URL + "/" + VARIANTS + "thumb.webp?");
        assertThat(refusal(thumbWebp)).isNull();
        assertThat(body.at("/variants/thumb/alternates/image~1webp/size").asLong()).isEqualTo(7);
        // Whole-picture variants only (not the square avatar crop), narrowest first, per format.
        assertThat(body.at("/srcset/image~1jpeg").asText()).isEqualTo(
                body.at("/variants/thumb/url").asText() + " 240w, " + body.at("/variants/large/url").asText() + " 1536w");
        assertThat(body.at("/srcset/image~1webp").asText()).isEqualTo(
                thumbWebp + " 240w, " + body.at("/variants/large/alternates/image~1webp/url").asText() + " 1536w");

        assertThat(invoke(event("api-delete-file.json")).status()).isEqualTo(204);
        // Only the deletion marker stays, until the bucket's lifecycle rule removes it a day later.
        assertThat(keys()).containsExactly("deletions/" + OWNER + "/" + FILE_ID);
        assertNotFound(invoke(event("api-get-file.json")));
        assertNotFound(invoke(event("api-delete-file.json")));
    }

    @Test
    void anotherOwnerGets404OnGetAndDeleteAndNothingIsDeleted() {
        putOriginal("image/jpeg");
        putVariantsAndManifest(Manifest.READY, null);

        assertNotFound(invoke(asSubject(event("api-get-file.json"), "bob")));
        assertNotFound(invoke(asSubject(event("api-delete-file.json"), "bob")));

        assertThat(keys()).contains(ORIGINAL, VARIANTS + "manifest.json");
    }

    @Test
    void aRejectedFileShowsItsReasonAndNoUrls() {
        putOriginal("image/jpeg");
        putVariantsAndManifest(Manifest.REJECTED, "too-many-pixels");

        JsonNode body = invoke(event("api-get-file.json")).body();

        assertThat(body.get("status").asText()).isEqualTo("rejected");
        assertThat(body.get("reason").asText()).isEqualTo("too-many-pixels");
        assertThat(body.has("original")).isFalse();
        assertThat(body.has("variants")).isFalse();
        assertThat(body.has("urlsExpireAt")).isFalse();
        assertThat(body.toString()).doesNotContain("Signature");
    }

    @Test
    void aMalformedFileIdIsSimplyNotFound() {
        ObjectNode event = event("api-get-file.json");
        event.put("rawPath", "/files/..%2F..%2Fetc");
        ((ObjectNode) event.at("/requestContext/http")).put("path", "/files/..%2F..%2Fetc");
        ((ObjectNode) event.get("pathParameters")).put("fileId", "../../etc");

        assertNotFound(invoke(event));
    }

    @Test
    void aRepeatedViewGetsTheSameUrlsSoBrowsersCanCacheThem() {
        putOriginal("image/jpeg");
        putVariantsAndManifest(Manifest.READY, null);

        JsonNode first = invoke(event("api-get-file.json")).body();
        JsonNode second = invoke(event("api-get-file.json")).body();

        assertThat(second.at("/variants/thumb/url")).isEqualTo(first.at("/variants/thumb/url"));
        assertThat(second.get("urlsExpireAt")).isEqualTo(first.get("urlsExpireAt"));
    }

    private void assertNotFound(ApiResponse response) {
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    private String refusal(String url) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            query.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return verifier.refusal(url.substring(0, url.indexOf('?')), query, "203.0.113.7", Instant.now()).orElse(null);
    }

    private void putOriginal(String contentType) {
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType(contentType)
                .metadata(Map.of("filename", "%C3%89t%C3%A9%202026.jpg")), RequestBody.fromBytes(new byte[100]));
    }

    private void putVariantsAndManifest(FileStatus status, String reason) {
        boolean ready = status == Manifest.READY;
        Map<String, Manifest.VariantEntry> variants = new LinkedHashMap<>();
        if (ready) {
            variants.put("large", new Manifest.VariantEntry(VARIANTS + "large.jpg", 1536, 2048, "image/jpeg", 20,
                    Map.of("image/webp", new Manifest.AlternateEntry(VARIANTS + "large.webp", 15))));
            variants.put("avatar", new Manifest.VariantEntry(VARIANTS + "avatar.jpg", 128, 128, "image/jpeg", 5,
                    Map.of("image/webp", new Manifest.AlternateEntry(VARIANTS + "avatar.webp", 4))));
            variants.put("thumb", new Manifest.VariantEntry(VARIANTS + "thumb.jpg", 240, 320, "image/jpeg", 10,
                    Map.of("image/webp", new Manifest.AlternateEntry(VARIANTS + "thumb.webp", 7))));
            for (Manifest.VariantEntry variant : variants.values()) {
                for (String key : variant.keys()) {
                    s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(key).contentType(key.endsWith(".webp") ? "image/webp" : "image/jpeg"),
                            RequestBody.fromBytes(new byte[(int) variant.size()]));
                }
            }
        }
        Manifest manifest = new Manifest(1, FILE_ID, status, reason, "private",
                new Manifest.Source(ORIGINAL, "etag", "Été 2026.jpg", "image/jpeg", 100, ready ? 3000 : null, ready ? 4000 : null, null, null),
                variants, ready ? "data:image/jpeg;base64,AAAA" : null, "2026-11-21T10:00:00Z", null, null);
        if (ready) {
            manifest = manifest.withSummaries(false, "1QcSHQRYZ4ZoeIeIBwiXh3CHeHj3Z3cA", "#3a5f8c");
        }
        Manifest stored = manifest;
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json").contentType("application/json"),
                RequestBody.fromBytes(stored.toJson()));
    }

    private List<String> keys() {
        return s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents().stream().map(S3Object::key).toList();
    }
}
