package dev.mediagate.api.cdn;

import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.api.ApiEvents.ApiResponse;
import dev.mediagate.core.files.Owner;
import dev.mediagate.local.cdn.CloudFrontVerifier;
import dev.mediagate.testing.CdnKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code events/api-cdn-cookies.json} through the real handler. */
class CdnCookiesTest {

    @Test
    void setsTheThreeCloudFrontCookiesInTheHttpApiCookiesArray() {
        ApiResponse response = invoke(event("api-cdn-cookies.json"));

        assertThat(response.status()).isEqualTo(204);
        List<String> cookies = cookies(response.raw());
        assertThat(cookies).hasSize(3);
        assertThat(cookies).map(c -> c.substring(0, c.indexOf('=')))
                .containsExactly("CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id");
        assertThat(cookies).allSatisfy(cookie -> assertThat(cookie)
                .contains("; Path=/").contains("; HttpOnly").contains("; Secure").contains("; SameSite=None").contains("; Max-Age="));
        assertThat(response.raw().toString().toLowerCase()).doesNotContain("\"set-cookie\"");
    }

    @Test
    void theCookiesOpenEveryVariantOfTheCallerAndNothingElse() {
        Map<String, String> credentials = new LinkedHashMap<>();
        for (String cookie : cookies(invoke(event("api-cdn-cookies.json")).raw())) {
            String pair = cookie.split(";", 2)[0];
            credentials.put(pair.substring("CloudFront-".length(), pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        CloudFrontVerifier verifier = new CloudFrontVerifier(Map.of(CdnKeys.KEY_PAIR_ID, CdnKeys.pair().getPublic()));
        String alice = Owner.of("https://auth.example.com/", "alice").value();
        String bob = Owner.of("https://auth.example.com/", "bob").value();

        assertThat(verifier.refusal(CdnKeys.CDN_BASE_URL + "/variants/" + alice + "/any-file/thumb.jpg", credentials, "198.51.100.1", Instant.now())).isEmpty();
        assertThat(verifier.refusal(CdnKeys.CDN_BASE_URL + "/variants/" + bob + "/any-file/thumb.jpg", credentials, "198.51.100.1", Instant.now())).isPresent();
        assertThat(verifier.refusal(CdnKeys.CDN_BASE_URL + "/originals/" + alice + "/any-file", credentials, "198.51.100.1", Instant.now())).isPresent();
    }

    private static List<String> cookies(JsonNode raw) {
        List<String> cookies = new ArrayList<>();
        raw.path("cookies").forEach(cookie -> cookies.add(cookie.asText()));
        return cookies;
    }
}
