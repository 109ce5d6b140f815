package dev.mediagate.api.files;

import static dev.mediagate.api.ApiEvents.asSubject;
import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.invoke;
import static dev.mediagate.api.ApiEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.api.ApiEvents;
import dev.mediagate.api.ApiEvents.ApiResponse;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.testing.CdnKeys;
import dev.mediagate.local.sqs.SqsSendMessage;
import dev.mediagate.testing.LocalS3;
import java.net.URI;
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

/** The new routes' {@code events/*.json}, replayed through the real handler against S3Proxy, as sam local invoke sends them. */
@Tag("events")
class WhoCanSeeAFileTest {

    static final String OWNER = "ksbadydqkpcosn4zkgtwasmyjuchops2";
    static final String FILE_ID = "0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
    static final String ORIGINAL = "originals/" + OWNER + "/" + FILE_ID;
    static final String VARIANTS = "variants/" + OWNER + "/" + FILE_ID + "/";
    static final String PUBLISHED = "public/" + OWNER + "/" + FILE_ID + "/";

    private final S3Client s3 = LocalS3.shared().client();

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            s3.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
    }

    @Test
    void meNamesTheCallersOwnerAsTheKeysUseIt() {
        ApiResponse me = invoke(event("api-get-me.json"));

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().get("owner").asText()).isEqualTo(OWNER);
    }

    @Test
    void publishingCopiesTheVariantsToPublicAndHandsOutPlainUrlsThenUnpublishingRemovesAndInvalidatesThem() {
        putReadyFile(null);
        int invalidationsBefore = invalidations().size();

        ApiResponse published = invoke(event("api-change-visibility.json"));

        assertThat(published.status()).isEqualTo(200);
        assertThat(published.body().get("visibility").asText()).isEqualTo("public");
        assertThat(published.body().at("/variants/thumb/url").asText()).isEqualTo(CdnKeys.CDN_BASE_URL + "/" + PUBLISHED + "thumb.jpg");
        assertThat(published.body().at("/original/url").asText()).contains("Signature=");
        assertThat(keys()).contains(PUBLISHED + "thumb.jpg", PUBLISHED + "large.jpg", VARIANTS + "thumb.jpg");
        assertThat(manifest().visibility()).isEqualTo("public");
        assertThat(manifest().variants().get("thumb").key()).isEqualTo(PUBLISHED + "thumb.jpg");
        assertThat(invalidations()).hasSize(invalidationsBefore);

        ApiResponse unpublished = invoke(withBody(event("api-change-visibility.json"), "{\"visibility\":\"private\"}"));

        assertThat(unpublished.status()).isEqualTo(200);
        assertThat(unpublished.body().get("visibility").asText()).isEqualTo("private");
        assertThat(unpublished.body().at("/variants/thumb/url").asText()).startsWith(CdnKeys.CDN_BASE_URL + "/" + VARIANTS).contains("Signature=");
        assertThat(keys()).noneMatch(key -> key.startsWith("public/")).contains(VARIANTS + "thumb.jpg");
        assertThat(manifest().isUnpublishPending()).isFalse();
        assertThat(invalidations()).hasSize(invalidationsBefore + 1);
        // Exact paths, queued for CdnInvalidationFunction: no wildcard, and no request waits on CloudFront.
        assertThat(invalidations().getLast().queueUrl()).isEqualTo(SqsSendMessage.CDN_INVALIDATION_QUEUE_URL);
        assertThat(invalidations().getLast().body())
                .isEqualTo("{\"paths\":[\"/" + PUBLISHED + "large.jpg\",\"/" + PUBLISHED + "thumb.jpg\"]}");
    }

    /** One user flipping a file could once exhaust CloudFront's wildcard invalidations and make everyone's PATCH fail. */
    @Test
    void cloudFrontRefusingInvalidationsFailsNeitherAnUnpublishNorADelete() {
        putReadyFile(null);
        dev.mediagate.local.cdn.CloudFrontInvalidations.shared().recorder().refuseNext(1000);
        try {
            for (int flip = 0; flip < 3; flip++) {
                assertThat(invoke(event("api-change-visibility.json")).status()).isEqualTo(200);
                assertThat(invoke(withBody(event("api-change-visibility.json"), "{\"visibility\":\"private\"}")).status()).isEqualTo(200);
            }
            assertThat(invoke(event("api-change-visibility.json")).status()).isEqualTo(200);
            assertThat(invoke(event("api-delete-file.json")).status()).isEqualTo(204);
            assertThat(keys()).noneMatch(key -> key.startsWith("public/") || key.startsWith("variants/"));
        } finally {
            dev.mediagate.local.cdn.CloudFrontInvalidations.shared().recorder().refuseNext(0);
        }
    }

    @Test
    void theEleventhChangeWithinAMinuteIsRefusedWith429AndRetryAfter() {
        putReadyFile(null);
        for (int change = 0; change < 10; change++) {
            String target = change % 2 == 0 ? "public" : "private";
            assertThat(invoke(withBody(event("api-change-visibility.json"), "{\"visibility\":\"" + target + "\"}")).status())
                    .isEqualTo(200);
        }

        ApiResponse refused = invoke(event("api-change-visibility.json"));

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        assertThat(refused.body().get("status").asInt()).isEqualTo(429);
        assertThat(manifest().visibility()).isEqualTo("private");
    }

    @Test
    void anUnpublishThatDiedHalfWayIsFinishedByTheNextRequest() {
        putReadyFile(null);
        invoke(event("api-change-visibility.json"));
        // The process died after writing the pending manifest: the published copies are still there.
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json"),
                RequestBody.fromBytes(manifest().withVisibility(dev.mediagate.core.files.Visibility.PRIVATE, true, "2026-11-27T10:00:00Z").toJson()));
        int invalidationsBefore = invalidations().size();

        ApiResponse retried = invoke(withBody(event("api-change-visibility.json"), "{\"visibility\":\"private\"}"));

        assertThat(retried.status()).isEqualTo(200);
        assertThat(keys()).noneMatch(key -> key.startsWith("public/"));
        assertThat(manifest().isUnpublishPending()).isFalse();
        assertThat(invalidations()).hasSize(invalidationsBefore + 1);
    }

    @Test
    void visibilityChangesOnlyOnAReadyFileAndOnlyFromAWellFormedBody() {
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType("image/jpeg"), RequestBody.fromBytes(new byte[10]));

        assertThat(invoke(event("api-change-visibility.json")).status()).isEqualTo(409);
        putReadyFile(null);
        for (String body : List.of("{\"visibility\":\"everyone\"}", "{\"visibility\":\"public\",\"owner\":\"x\"}", "{}", "[]",
                "{\"visibility\":true}")) {
            ApiResponse refused = invoke(withBody(event("api-change-visibility.json"), body));
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(invoke(asSubject(event("api-change-visibility.json"), "bob")).status()).isEqualTo(404);
        assertThat(keys()).noneMatch(key -> key.startsWith("public/"));
    }

    @Test
    void aShareLinkOpensTheFileWithoutATokenUntilItIsRevokedAndItsUrlsNeverOutliveIt() {
        putReadyFile(null);

        ApiResponse created = invoke(withBody(event("api-create-share.json"), "{\"expiresInSeconds\":60}"));

        assertThat(created.status()).isEqualTo(201);
        String url = created.body().get("url").asText();
        assertThat(url).startsWith("https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/shared/");
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(keys()).noneMatch(key -> key.contains(token));
        Instant shareExpiry = Instant.parse(created.body().get("expiresAt").asText());

        ApiResponse opened = invoke(openShare(token));

        assertThat(opened.status()).isEqualTo(200);
        assertThat(opened.header("Cache-Control")).isEqualTo("private, no-store");
        assertThat(opened.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(opened.body().has("owner")).isFalse();
        assertThat(Instant.parse(opened.body().get("urlsExpireAt").asText())).isBeforeOrEqualTo(shareExpiry);
        assertThat(policyExpiry(opened.body().at("/variants/thumb/url").asText())).isEqualTo(shareExpiry.getEpochSecond());

        JsonNode listed = invoke(event("api-list-shares.json")).body();
        assertThat(listed.get("shares")).hasSize(1);
        String shareId = listed.at("/shares/0/shareId").asText();
        assertThat(listed.toString()).doesNotContain(token);

        assertThat(invoke(revokeShare(shareId)).status()).isEqualTo(204);
        ApiResponse afterRevoke = invoke(openShare(token));
        assertThat(afterRevoke.status()).isEqualTo(404);
        assertThat(afterRevoke.header("Cache-Control")).isEqualTo("private, no-store");
        assertThat(invoke(event("api-list-shares.json")).body().get("shares")).isEmpty();
        assertThat(invoke(revokeShare(shareId)).status()).isEqualTo(404);
    }

    @Test
    void unknownTamperedAndDeletedFilesSharesAllAnswerTheSame404() {
        putReadyFile(null);
        String token = tokenOf(invoke(event("api-create-share.json")));
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        ApiResponse unknown = invoke(event("api-open-share.json"));
        ApiResponse wrong = invoke(openShare(tampered));
        ApiResponse malformed = invoke(openShare("not-a-token"));
        assertThat(invoke(event("api-delete-file.json")).status()).isEqualTo(204);
        ApiResponse deleted = invoke(openShare(token));

        for (ApiResponse response : List.of(unknown, wrong, malformed, deleted)) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.body().get("detail")).isEqualTo(unknown.body().get("detail"));
        }
        assertThat(keys()).as("deleting a file deletes its shares").noneMatch(key -> key.startsWith("shares/"));
    }

    @Test
    void shareLifetimesOutsideTheContractsRangeAreRefused() {
        putReadyFile(null);

        for (String body : List.of("{\"expiresInSeconds\":59}", "{\"expiresInSeconds\":2592001}", "{\"expiresInSeconds\":\"600\"}",
                "{\"ttl\":600}")) {
            assertThat(invoke(withBody(event("api-create-share.json"), body)).status()).as(body).isEqualTo(400);
        }
        assertThat(invoke(asSubject(event("api-create-share.json"), "bob")).status()).isEqualTo(404);
    }

    @Test
    void aServiceCallerReadsAnyOwnersFileButAUserTokenOnAServiceRouteIsForbidden() {
        putReadyFile(null);

        ApiResponse service = invoke(event("api-service-get-file.json"));
        ObjectNode userToken = event("api-service-get-file.json");
        ((ObjectNode) userToken.at("/requestContext/authorizer/jwt/claims")).remove("scope");
        ApiResponse forbidden = invoke(userToken);

        assertThat(service.status()).isEqualTo(200);
        assertThat(service.body().get("owner").asText()).isEqualTo(OWNER);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void aServiceCallerSeesTheManifestsRecipeAndTheOwnerDoesNot() throws Exception {
        putReadyFile(null);
        JsonNode versionOne = invoke(event("api-service-get-file.json")).body();
        String today = Recipe.of(Recipe.Config.from(new dev.mediagate.core.config.Settings(java.util.Map.<String, String>of()::get)), null);
        rewriteManifest(manifest -> manifest.withRecipe(today));
        JsonNode current = invoke(event("api-service-get-file.json")).body();
        rewriteManifest(manifest -> manifest.withRecipe("0123456789abcdef"));
        JsonNode stale = invoke(event("api-service-get-file.json")).body();
        JsonNode ownersView = invoke(event("api-get-file.json")).body();

        assertThat(versionOne.has("recipe")).isFalse();
        assertThat(current.get("recipe").asText()).isEqualTo(today);
        assertThat(current.get("status").asText()).isEqualTo("ready");
        assertThat(current.at("/variants/thumb/width").asInt()).isEqualTo(240);
        assertThat(stale.get("recipe").asText()).isEqualTo("0123456789abcdef");
        assertThat(ownersView.has("recipe")).isFalse();
    }

    @Test
    void aServiceCallerGetsAnUploadUrlOnBehalfOfTheOwnerWithTheVisibilitySigned() {
        ApiResponse created = invoke(event("api-service-create-upload.json"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(URI.create(created.body().at("/upload/url").asText()).getPath()).contains("/originals/" + OWNER + "/");
        assertThat(created.body().at("/upload/headers/x-amz-meta-visibility").asText()).isEqualTo("public");
        assertThat(created.body().at("/upload/url").asText()).contains("x-amz-meta-visibility");
    }

    @Test
    void linksSignAPageOfFilesWithAtMostTwoSignaturesPerFileAndNoneOnARepeat() {
        putReadyFile(null);
        long before = ApiEvents.handler().cdnSignatures();

        JsonNode first = invoke(event("api-service-links.json")).body();
        long afterFirst = ApiEvents.handler().cdnSignatures();
        JsonNode repeat = invoke(event("api-service-links.json")).body();

        assertThat(afterFirst - before).as("signatures for one ready file: its original's canned URL and its variants' policy (none if another test signed them in this window)")
                .isLessThanOrEqualTo(2);
        assertThat(ApiEvents.handler().cdnSignatures()).as("signatures on the repeat").isEqualTo(afterFirst);
        assertThat(first.at("/files/0/status").asText()).isEqualTo("ready");
        assertThat(first.at("/files/0/variants").properties()).extracting(Map.Entry::getKey).containsExactly("thumb");
        assertThat(first.at("/files/0/variants/thumb/url").asText()).contains("Signature=");
        assertThat(first.at("/files/1/error").asText()).isEqualTo("not-found");
        assertThat(first.at("/files/1").has("variants")).isFalse();
        assertThat(repeat.at("/files/0/variants/thumb/url")).isEqualTo(first.at("/files/0/variants/thumb/url"));
        assertThat(first.has("urlsExpireAt")).isTrue();
        for (String body : List.of("{\"files\":[]}", "{\"files\":[{\"owner\":\"Alice\",\"fileId\":\"" + FILE_ID + "\"}]}",
                "{\"files\":[{\"owner\":\"" + OWNER + "\",\"fileId\":\"" + FILE_ID + "\"}],\"variants\":[\"../x\"]}")) {
            assertThat(invoke(withBody(event("api-service-links.json"), body)).status()).as(body).isEqualTo(400);
        }
    }

    private ObjectNode openShare(String token) {
        ObjectNode event = event("api-open-share.json");
        event.put("rawPath", "/shared/" + token);
        ((ObjectNode) event.at("/requestContext/http")).put("path", "/shared/" + token);
        ((ObjectNode) event.get("pathParameters")).put("token", token);
        return event;
    }

    private ObjectNode revokeShare(String shareId) {
        ObjectNode event = event("api-revoke-share.json");
        String path = "/files/" + FILE_ID + "/shares/" + shareId;
        event.put("rawPath", path);
        ((ObjectNode) event.at("/requestContext/http")).put("path", path);
        ((ObjectNode) event.get("pathParameters")).put("shareId", shareId);
        return event;
    }

    /** The {@code DateLessThan} of a custom-policy URL's policy (CloudFront's URL-safe base64). */
    private static long policyExpiry(String url) {
        String policy = url.replaceFirst(".*[?&]Policy=([^&]+).*", "$1").replace('-', '+').replace('_', '=').replace('~', '/');
        String json = new String(java.util.Base64.getDecoder().decode(policy), java.nio.charset.StandardCharsets.UTF_8);
        return Long.parseLong(json.replaceFirst(".*\\\"AWS:EpochTime\\\"\\s*:\\s*(\\d+).*", "$1"));
    }

    private static String tokenOf(ApiResponse created) {
        String url = created.body().get("url").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private void rewriteManifest(java.util.function.UnaryOperator<Manifest> change) {
        String key = VARIANTS + "manifest.json";
        Manifest changed = change.apply(Manifest.read(s3, LocalS3.BUCKET, key).orElseThrow());
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(key).contentType("application/json"), RequestBody.fromBytes(changed.toJson()));
    }

    private void putReadyFile(String visibility) {
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType("image/jpeg")
                .metadata(Map.of("filename", "a.jpg")), RequestBody.fromBytes(new byte[100]));
        Map<String, Manifest.VariantEntry> variants = new LinkedHashMap<>();
        variants.put("thumb", new Manifest.VariantEntry(VARIANTS + "thumb.jpg", 240, 320, "image/jpeg", 10));
        variants.put("large", new Manifest.VariantEntry(VARIANTS + "large.jpg", 1536, 2048, "image/jpeg", 20));
        for (Manifest.VariantEntry variant : variants.values()) {
            s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(variant.key()).contentType("image/jpeg")
                    .cacheControl("public, max-age=31536000, immutable"), RequestBody.fromBytes(new byte[(int) variant.size()]));
        }
        Manifest manifest = new Manifest(1, FILE_ID, Manifest.READY, null, visibility,
                new Manifest.Source(ORIGINAL, "etag", "a.jpg", "image/jpeg", 100, 3000, 4000, null, null),
                variants, "data:image/jpeg;base64,AAAA", "2026-11-21T10:00:00Z", null, null);
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json").contentType("application/json"),
                RequestBody.fromBytes(manifest.toJson()));
    }

    private Manifest manifest() {
        return Manifest.fromJson(s3.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json")).asByteArray());
    }

    private List<String> keys() {
        return s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents().stream().map(S3Object::key).toList();
    }

    private static List<SqsSendMessage.Message> invalidations() {
        return SqsSendMessage.shared().sent();
    }
}
