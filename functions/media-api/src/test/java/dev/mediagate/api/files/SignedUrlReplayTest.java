package dev.mediagate.api.files;

import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.invoke;
import static dev.mediagate.api.ApiEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.api.ApiEvents.ApiResponse;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Owner;
import dev.mediagate.local.cdn.CloudFrontVerifier;
import dev.mediagate.testing.CdnKeys;
import dev.mediagate.testing.LocalS3;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every credential the API hands out (a file view's URLs, a share's, {@code POST /links}', the CDN cookies), replayed
 * as an attacker would: copied onto the URL of another owner's or another file's object, with query strings appended
 * that repeat what was signed. CloudFront matches a policy against the whole URL, query string included, and serves
 * the object the path names; {@link CloudFrontVerifier} matches the same way. Each credential must open what it was
 * issued for and nothing else (contract: "Signed URLs and cookies: exactly what was signed").
 */
class SignedUrlReplayTest {

    private static final String ALICE = WhoCanSeeAFileTest.OWNER;
    private static final String FILE = WhoCanSeeAFileTest.FILE_ID;
    private static final String OTHER_FILE = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    private static final String BOB = Owner.of("https://auth.example.com/", "bob").value();
    private static final String BOB_FILE = "1b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
    private static final String CLIENT_IP = "203.0.113.7";

    private final S3Client s3 = LocalS3.shared().client();
    private final CloudFrontVerifier verifier = new CloudFrontVerifier(Map.of(CdnKeys.KEY_PAIR_ID, CdnKeys.pair().getPublic()));

    /** A credential as handed out, and the keys the contract says it opens. */
    private record Credential(String origin, Map<String, String> values, Predicate<String> grants) {
    }

    @Test
    void noCredentialTheApiSignsOpensAnyOtherObjectWhateverQueryStringIsAppended() {
        putReadyFile();
        List<Credential> credentials = new ArrayList<>();
        credentials.addAll(urlCredentials("GET /files/{fileId}", invoke(event("api-get-file.json")).body()));
        String shareUrl = invoke(withBody(event("api-create-share.json"), "{\"expiresInSeconds\":600}")).body().get("url").asText();
        credentials.addAll(urlCredentials("GET /shared/{token}", invoke(openShare(shareUrl.substring(shareUrl.lastIndexOf('/') + 1))).body()));
        JsonNode links = invoke(withBody(event("api-service-links.json"),
                "{\"files\":[{\"owner\":\"" + ALICE + "\",\"fileId\":\"" + FILE + "\"}]}")).body();
        credentials.addAll(urlCredentials("POST /links", links.at("/files/0")));
        credentials.add(cookieCredential(invoke(event("api-cdn-cookies.json"))));
        assertThat(credentials).extracting(Credential::origin).contains("GET /files/{fileId} original",
                "GET /files/{fileId} variant", "GET /shared/{token} original", "GET /shared/{token} variant",
                "POST /links original", "POST /links variant", "POST /cdn-cookies");

        List<String> objects = List.of("originals/" + ALICE + "/" + FILE, variant(ALICE, FILE, "thumb.jpg"),
                variant(ALICE, FILE, "large.webp"), "originals/" + ALICE + "/" + OTHER_FILE, variant(ALICE, OTHER_FILE, "thumb.jpg"),
                "originals/" + ALICE + "/" + FILE + "0", variant(ALICE, FILE + "0", "thumb.jpg"),
                "originals/" + BOB + "/" + BOB_FILE, variant(BOB, BOB_FILE, "thumb.jpg"), variant(BOB, FILE, "thumb.jpg"),
                "originals/" + BOB + "/" + FILE, "uploads/" + ALICE + "/" + FILE + ".json", "shares/tokens/x.json");
        List<String> appended = List.of("", "x=/" + ALICE + "/" + FILE, "x=/" + ALICE + "/" + FILE + "/thumb.jpg",
                "x=/variants/" + ALICE + "/" + FILE + "/", "x=" + CdnKeys.CDN_BASE_URL + "/variants/" + ALICE + "/" + FILE + "/thumb.jpg",
                "x=/originals/" + ALICE + "/" + FILE, "x=/variants/" + ALICE + "/");
        for (Credential credential : credentials) {
            for (String key : objects) {
                boolean granted = credential.grants().test(key);
                for (String query : appended) {
                    String refusal = refusal(credential, key, query);
                    if (!granted) {
                        assertThat(refusal).as("%s replayed on /%s?%s", credential.origin(), key, query).isNotNull();
                    } else if (query.isEmpty()) {
                        assertThat(refusal).as("%s on /%s, as issued", credential.origin(), key).isNull();
                    }
                }
            }
        }
    }

    /** The verifier's answer for {@code key} requested with {@code query} and the copied credential (query or cookies). */
    private String refusal(Credential credential, String key, String query) {
        String path = "/" + key;
        String rawQuery = query;
        if (!credential.origin().equals("POST /cdn-cookies")) {
            String signing = String.join("&", credential.values().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            rawQuery = query.isEmpty() ? signing : query + "&" + signing;
        }
        return verifier.refusal(CloudFrontVerifier.resourceUrl(CdnKeys.CDN_BASE_URL, path, rawQuery), credential.values(),
                CLIENT_IP, Instant.now()).orElse(null);
    }

    /** The original's URL opens the original only; a variant's URL opens that file's variants only. */
    private static List<Credential> urlCredentials(String route, JsonNode view) {
        assertThat(view.at("/original/url").asText()).as(route).contains("Signature=");
        List<Credential> credentials = new ArrayList<>();
        String originalKey = "originals/" + ALICE + "/" + FILE;
        credentials.add(new Credential(route + " original", signing(view.at("/original/url").asText()), originalKey::equals));
        view.path("variants").forEach(variant -> credentials.add(new Credential(route + " variant",
                signing(variant.get("url").asText()), key -> key.startsWith("variants/" + ALICE + "/" + FILE + "/"))));
        return credentials;
    }

    private static Credential cookieCredential(ApiResponse response) {
        Map<String, String> values = new LinkedHashMap<>();
        response.raw().path("cookies").forEach(cookie -> {
            String pair = cookie.asText().split(";", 2)[0];
            values.put(pair.substring("CloudFront-".length(), pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        });
        return new Credential("POST /cdn-cookies", values, key -> key.startsWith("variants/" + ALICE + "/"));
    }

    private static Map<String, String> signing(String url) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return values;
    }

    private static String variant(String owner, String fileId, String name) {
        return "variants/" + owner + "/" + fileId + "/" + name;
    }

    private void putReadyFile() {
        String original = "originals/" + ALICE + "/" + FILE;
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(original).contentType("image/jpeg")
                .metadata(Map.of("filename", "a.jpg")), RequestBody.fromBytes(new byte[100]));
        Map<String, Manifest.VariantEntry> variants = new LinkedHashMap<>();
        variants.put("thumb", new Manifest.VariantEntry(variant(ALICE, FILE, "thumb.jpg"), 240, 320, "image/jpeg", 10));
        variants.put("large", new Manifest.VariantEntry(variant(ALICE, FILE, "large.jpg"), 1536, 2048, "image/jpeg", 20));
        Manifest manifest = new Manifest(1, FILE, Manifest.READY, null, null,
                new Manifest.Source(original, "etag", "a.jpg", "image/jpeg", 100, 3000, 4000, null, null),
                variants, "data:image/jpeg;base64,AAAA", "2026-11-21T10:00:00Z", null, null);
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(variant(ALICE, FILE, "manifest.json")).contentType("application/json"),
                RequestBody.fromBytes(manifest.toJson()));
    }

    private static ObjectNode openShare(String token) {
        ObjectNode event = event("api-open-share.json");
        event.put("rawPath", "/shared/" + token);
        ((ObjectNode) event.at("/requestContext/http")).put("path", "/shared/" + token);
        ((ObjectNode) event.get("pathParameters")).put("token", token);
        return event;
    }
}
