package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.api.StreamLambdaHandler;
import dev.mediagate.testing.Images;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Who can see a file, over HTTP on the local stack: every route of the contract for the owner, another user, a service
 * caller, an anonymous caller and a share link's holder, and for every URL handed out, whether the CDN edge serves it.
 * Every request of the matrix and every answer to it, errors included, is as {@code openapi.yaml} describes it.
 */
class AccessMatrixIT {

    private static final byte[] SMALL_PHOTO = Images.jpeg(Images.quadrants(64, 48));
    private static LocalStack stack;
    private static StackClient client;
    private static String alice;
    private static String bob;
    private static String backend;
    private static String owner;
    private static String fileId;
    private static OpenApiDocument document;

    @BeforeAll
    static void aliceHasAReadyPrivatePhoto() throws Exception {
        document = OpenApiDocument.load();
        stack = RunningStack.get();
        client = new StackClient(stack);
        alice = client.token("alice");
        bob = client.token("bob");
        backend = client.token("backend", "mediagate/service");
        owner = client.json(client.send(client.get("/me", alice))).get("owner").asText();
        fileId = client.upload(alice, "IMG_0001.jpg", "image/jpeg", Images.jpeg(Images.quadrants(900, 600))).get("fileId").asText();
        assertThat(client.waitUntilDone(fileId, alice).get("status").asText()).isEqualTo("ready");
    }

    @AfterAll
    static void closeTheDocument() throws Exception {
        document.close();
    }

    @Test
    void everyRouteAnswersEachKindOfCallerAsTheContractSays() throws Exception {
        String file = "/files/" + fileId;
        String serviceFile = "/owners/" + owner + "/files/" + fileId;
        String upload = "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":10}";
        String links = "{\"files\":[{\"owner\":\"" + owner + "\",\"fileId\":\"" + fileId + "\"}]}";
        record Row(String method, String path, String body, Integer owner, Integer other, Integer service, Integer anonymous) {
        }
        List<Row> rows = List.of(
                new Row("GET", file, null, 200, 404, 404, 401),
                new Row("PATCH", file, "{\"visibility\":\"private\"}", 200, 404, 404, 401),
                new Row("GET", "/me", null, 200, 200, 200, 401),
                new Row("POST", "/cdn-cookies", "", 204, 204, 204, 401),
                new Row("POST", "/uploads", upload, 201, 201, 201, 401),
                new Row("GET", file + "/shares", null, 200, 404, 404, 401),
                new Row("POST", file + "/shares", "{}", 201, 404, 404, 401),
                new Row("DELETE", file + "/shares/00000000000000000000000000000000", null, 404, 404, 404, 401),
                new Row("GET", serviceFile, null, 403, 403, 200, 401),
                new Row("PATCH", serviceFile, "{\"visibility\":\"private\"}", 403, 403, 200, 401),
                new Row("GET", serviceFile + "/shares", null, 403, 403, 200, 401),
                new Row("POST", serviceFile + "/reprocess", "{\"force\":false}", 403, 403, 200, 401),
                new Row("POST", "/owners/" + owner + "/files/" + UUID.randomUUID() + "/reprocess", "{}", 403, 403, 404, 401),
                new Row("POST", serviceFile + "/shares", "{}", 403, 403, 201, 401),
                new Row("POST", "/owners/" + owner + "/uploads", upload, 403, 403, 201, 401),
                new Row("POST", "/links", links, 403, 403, 200, 401),
                new Row("DELETE", "/owners/" + owner + "/files/" + UUID.randomUUID(), null, 403, 403, 404, 401),
                new Row("DELETE", "/files/" + UUID.randomUUID(), null, 404, 404, 404, 401),
                new Row("GET", "/shared/" + "A".repeat(43), null, 404, 404, 404, 404));
        List<String> mismatches = new ArrayList<>();
        List<String> undocumented = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Integer> expected = new LinkedHashMap<>();
            expected.put("owner", row.owner());
            expected.put("another user", row.other());
            expected.put("service caller", row.service());
            expected.put("anonymous", row.anonymous());
            Map<String, String> tokens = new LinkedHashMap<>();
            tokens.put("owner", alice);
            tokens.put("another user", bob);
            tokens.put("service caller", backend);
            tokens.put("anonymous", null);
            for (var caller : expected.entrySet()) {
                var response = client.send(request(row.method(), row.path(), tokens.get(caller.getKey()), row.body()));
                int status = response.statusCode();
                undocumented.addAll(document.violations(new OpenApiDocument.Exchange(row.method(), row.path(),
                        row.body() == null ? null : "application/json", row.body(), status, response.headers().map(), response.body()), true));
                if (status != caller.getValue()) {
                    mismatches.add(row.method() + " " + row.path() + " as " + caller.getKey() + ": " + status + " instead of " + caller.getValue());
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(undocumented).as("exchanges openapi.yaml does not describe").isEmpty();
    }

    @Test
    void privatePublicPrivateDecidesWhatTheEdgeServesUnsigned() throws Exception {
        JsonNode privateView = client.json(client.send(client.get("/files/" + fileId, alice)));
        String signedThumb = privateView.at("/variants/thumb/url").asText();
        String signedOriginal = privateView.at("/original/url").asText();
        assertThat(edge(signedThumb)).isEqualTo(200);
        assertThat(edge(unsigned(signedThumb))).isEqualTo(403);

        JsonNode publicView = client.json(client.send(client.patch("/files/" + fileId, alice, "{\"visibility\":\"public\"}")));
        String publicThumb = publicView.at("/variants/thumb/url").asText();

        assertThat(publicThumb).doesNotContain("?").contains("/public/" + owner + "/" + fileId + "/thumb.");
        assertThat(edge(publicThumb)).isEqualTo(200);
        assertThat(edge(unsigned(publicView.at("/original/url").asText()))).as("a public file's original stays private").isEqualTo(403);
        assertThat(edge(publicView.at("/original/url").asText())).isEqualTo(200);
        assertThat(edge(signedOriginal)).isEqualTo(200);
        JsonNode asSeenByBob = client.json(client.send(client.get("/files/" + fileId, bob)));
        assertThat(asSeenByBob.has("variants")).as("bob learns nothing from the API").isFalse();
        int invalidations = stack.cdnInvalidations().size();

        JsonNode backToPrivate = client.json(client.send(client.patch("/files/" + fileId, alice, "{\"visibility\":\"private\"}")));

        assertThat(backToPrivate.get("visibility").asText()).isEqualTo("private");
        assertThat(edge(publicThumb)).as("the public URL no longer serves").isNotEqualTo(200);
        assertThat(edge(backToPrivate.at("/variants/thumb/url").asText())).isEqualTo(200);
        // Queued by the PATCH, asked of the edge by CdnInvalidationFunction: the exact paths, no wildcard.
        RunningStack.awaitQuiet();
        assertThat(stack.cdnInvalidations()).hasSize(invalidations + 1);
        assertThat(stack.cdnInvalidations().getLast().paths()).isNotEmpty()
                .allMatch(path -> path.startsWith("/public/" + owner + "/" + fileId + "/") && !path.contains("*"))
                .contains(java.net.URI.create(publicThumb).getPath());
    }

    @Test
    void aShareLinkServesItsHolderUntilRevokedAndTamperedOrExpiredTokensAreNotFound() throws Exception {
        JsonNode share = client.json(client.send(client.post("/files/" + fileId + "/shares", alice, "{\"expiresInSeconds\":3600}")));
        String path = URI.create(share.get("url").asText()).getPath();
        String token = path.substring(path.lastIndexOf('/') + 1);

        var opened = client.send(client.get(path, null));
        JsonNode view = client.json(opened);
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(opened.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(view.has("owner")).isFalse();
        assertThat(edge(view.at("/variants/thumb/url").asText())).isEqualTo(200);
        assertThat(edge(view.at("/original/url").asText())).isEqualTo(200);

        String tampered = token.substring(0, 42) + (token.charAt(42) == 'A' ? 'B' : 'A');
        assertThat(client.send(client.get("/shared/" + tampered, null)).statusCode()).isEqualTo(404);
        assertThat(client.send(client.get("/shared/" + token, bob)).statusCode()).as("a token is no key: the link alone opens it").isEqualTo(200);

        expire(token);
        assertThat(client.send(client.get(path, null)).statusCode()).as("expired").isEqualTo(404);

        JsonNode live = client.json(client.send(client.post("/files/" + fileId + "/shares", alice, "{}")));
        String livePath = URI.create(live.get("url").asText()).getPath();
        assertThat(client.send(client.get(livePath, null)).statusCode()).isEqualTo(200);
        assertThat(client.send(client.delete("/files/" + fileId + "/shares/" + live.get("shareId").asText(), alice)).statusCode())
                .isEqualTo(204);
        assertThat(client.send(client.get(livePath, null)).statusCode()).as("revoked").isEqualTo(404);
    }

    /**
     * A share link's holder (anyone) copies the signature of a URL it was given onto another owner's original, another
     * file, the file's own manifest, with query strings that repeat what was signed: the edge, matching policies against
     * the whole URL as CloudFront does, serves none of them.
     */
    @Test
    void aCopiedSignatureOpensNothingElseThroughTheEdgeWhateverQueryStringIsAppended() throws Exception {
        String bobOwner = client.json(client.send(client.get("/me", bob))).get("owner").asText();
        String bobFile = UUID.randomUUID().toString();
        stack.s3Client().putObject(p -> p.bucket(stack.bucket()).key("originals/" + bobOwner + "/" + bobFile).contentType("image/jpeg"),
                RequestBody.fromBytes(SMALL_PHOTO));
        JsonNode share = client.json(client.send(client.post("/files/" + fileId + "/shares", alice, "{}")));
        JsonNode view = client.json(client.send(client.get(URI.create(share.get("url").asText()).getPath(), null)));
        String cdn = stack.cdnUrl();
        List<String> targets = List.of("/originals/" + bobOwner + "/" + bobFile, "/originals/" + owner + "/" + fileId,
                "/variants/" + owner + "/" + fileId + "/manifest.json", "/variants/" + owner + "/" + fileId + "/thumb.jpg");
        List<String> appended = List.of("", "x=/" + owner + "/" + fileId + "&", "x=/" + owner + "/" + fileId + "/thumb.jpg&",
                "x=/variants/" + owner + "/" + fileId + "/&");
        List<String> served = new ArrayList<>();
        for (String signed : List.of(view.at("/original/url").asText(), view.at("/variants/thumb/url").asText())) {
            assertThat(edge(signed)).as("as handed out: %s", signed).isEqualTo(200);
            String signedPath = URI.create(signed).getRawPath();
            String signing = URI.create(signed).getRawQuery();
            for (String target : targets) {
                if (target.equals(signedPath)) {
                    continue;
                }
                for (String query : appended) {
                    if (edge(cdn + target + "?" + query + signing) == 200) {
                        served.add(target + "?" + query + " with the signature of " + signedPath);
                    }
                }
            }
        }
        assertThat(served).isEmpty();
    }

    @Test
    void theEdgeNeverServesManifestsOrRecordsEvenWithAValidSignatureOrCookies() throws Exception {
        Map<String, String> cookies = new LinkedHashMap<>();
        client.send(client.post("/cdn-cookies", alice, "")).headers().allValues("Set-Cookie").forEach(cookie -> {
            String pair = cookie.split(";", 2)[0];
            cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        });
        String cookieHeader = String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        String manifest = stack.cdnUrl() + "/variants/" + owner + "/" + fileId + "/manifest.json";
        String thumb = client.json(client.send(client.get("/files/" + fileId, alice))).at("/variants/thumb/url").asText();

        assertThat(cookies).containsKeys("CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id");
        assertThat(edgeWithCookies(unsigned(thumb), cookieHeader)).as("the cookies open the owner's variants").isEqualTo(200);
        assertThat(edgeWithCookies(manifest, cookieHeader)).as("the manifest, with cookies").isEqualTo(403);
        assertThat(edge(manifest + "?" + URI.create(thumb).getRawQuery())).as("the manifest, with the file's own signature")
                .isEqualTo(403);
        assertThat(edgeWithCookies(stack.cdnUrl() + "/variants/" + owner + "/" + fileId + "/../../../originals/" + owner + "/" + fileId,
                cookieHeader)).as("a dot segment out of the signed prefix").isEqualTo(403);
        // S3 keys are literal: none of these is the manifest's key, so S3 has no such object, though a file system
        // under the local S3 would find the manifest at each of them.
        for (String alias : List.of(manifest + "/", manifest + "%2F", manifest + "//", stack.cdnUrl() + "/variants/" + owner
                + "/" + fileId + "//manifest.json", unsigned(thumb) + "/")) {
            assertThat(edgeWithCookies(alias, cookieHeader)).as("with cookies: %s", alias).isIn(403, 404);
            assertThat(edge(alias + "?" + URI.create(thumb).getRawQuery())).as("with the file's signature: %s", alias).isIn(403, 404);
        }
        assertThat(edgeWithCookies(unsigned(thumb) + "%00", cookieHeader)).as("a NUL in the path").isEqualTo(400);
    }

    @Test
    void linksForAPageOfAHundredFilesCostAtMostTwoSignaturesEachAndNoneOnTheRepeat() throws Exception {
        StringBuilder body = new StringBuilder("{\"files\":[");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String id = UUID.randomUUID().toString();
            putReadyFile(id);
            ids.add(id);
            body.append(i == 0 ? "" : ",").append("{\"owner\":\"").append(owner).append("\",\"fileId\":\"").append(id).append("\"}");
        }
        body.append("]}");
        awaitManifests(ids);
        long before = signatures();

        var first = client.send(client.post("/links", backend, body.toString()));
        long afterFirst = signatures();
        var repeat = client.send(client.post("/links", backend, body.toString()));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(repeat.statusCode()).isEqualTo(200);
        JsonNode page = client.json(first);
        assertThat(page.get("files")).hasSize(100).allSatisfy(entry -> assertThat(entry.get("status").asText()).isEqualTo("ready"));
        // Each file's original has its own canned URL, its variants one custom policy (see CdnSigner).
        assertThat(afterFirst - before).as("RSA signatures for 100 files").isBetween(1L, 200L);
        assertThat(signatures()).as("RSA signatures on the repeat").isEqualTo(afterFirst);
        assertThat(edge(page.at("/files/99/variants/thumb/url").asText())).isEqualTo(200);
        assertThat(client.send(client.post("/links", alice, body.toString())).statusCode()).isEqualTo(403);
    }

    private static long signatures() {
        return stack.functionInstances("MediaApiFunction").stream()
                .mapToLong(handler -> ((StreamLambdaHandler) handler).cdnSignatures()).sum();
    }

    /** Rewrites a share's stored record as expired a second ago (the token's record is found by its SHA-256). */
    private static void expire(String token) throws Exception {
        String key = "shares/tokens/" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.US_ASCII))) + ".json";
        S3Client s3 = stack.s3Client();
        String record = s3.getObjectAsBytes(g -> g.bucket(stack.bucket()).key(key)).asUtf8String();
        String expired = record.replaceFirst("\"expiresAt\":\"[^\"]+\"", "\"expiresAt\":\"" + java.time.Instant.now().minusSeconds(1) + "\"");
        s3.putObject(p -> p.bucket(stack.bucket()).key(key), RequestBody.fromString(expired));
    }

    /** An original straight into the bucket (the resizer makes its variants as for any upload); waits for its manifest. */
    private static void putReadyFile(String id) throws Exception {
        S3Client s3 = stack.s3Client();
        s3.putObject(p -> p.bucket(stack.bucket()).key("originals/" + owner + "/" + id).contentType("image/jpeg"),
                RequestBody.fromBytes(SMALL_PHOTO));
    }

    private static void awaitManifests(List<String> ids) throws Exception {
        S3Client s3 = stack.s3Client();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
        for (String id : ids) {
            while (s3.listObjectsV2(l -> l.bucket(stack.bucket()).prefix("variants/" + owner + "/" + id + "/manifest.json")).keyCount() == 0) {
                assertThat(System.nanoTime()).as("manifest of " + id).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private static HttpRequest request(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return token == null ? request.build() : request.header("Authorization", "Bearer " + token).build();
    }

    private static int edge(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build()).statusCode();
    }

    private static int edgeWithCookies(String url, String cookies) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookies).GET().build()).statusCode();
    }

    private static String unsigned(String url) {
        return url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    }
}
