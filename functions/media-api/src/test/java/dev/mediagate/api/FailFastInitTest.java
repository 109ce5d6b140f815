package dev.mediagate.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A version that cannot serve is never published: configuration and the signing key are read in Lambda's init phase
 * (so a SnapStart version fails to create), and priming refuses any answer but the expected one (so the snapshot fails).
 */
@Tag("events")
class FailFastInitTest {

    @Test
    void aMalformedDownloadUrlTtlStopsInitNamingTheVariable() {
        ApiEvents.handler();

        assertThatThrownBy(() -> withProperty("DOWNLOAD_URL_TTL_SECONDS", "ten minutes", StreamLambdaHandler::new))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DOWNLOAD_URL_TTL_SECONDS");
    }

    @Test
    void anUnreadableSigningKeyFileStopsInitNamingTheVariable() {
        ApiEvents.handler();

        assertThatThrownBy(() -> withProperty("CDN_PRIVATE_KEY_FILE", "/nonexistent/cloudfront-private.pem", StreamLambdaHandler::new))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CDN_PRIVATE_KEY_FILE");
    }

    @Test
    void aCookieDomainTheCdnIsNotUnderStopsInitNamingTheVariable() {
        ApiEvents.handler();

        assertThatThrownBy(() -> withProperty("CDN_COOKIE_DOMAIN", ".example.com", StreamLambdaHandler::new))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CDN_COOKIE_DOMAIN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://cdn.example.com/*", "https://cdn.example.com/media", "https://cdn.example.com/?"})
    void aCdnBaseUrlWithAPathStopsInitNamingTheVariable(String baseUrl) {
        ApiEvents.handler();

        assertThatThrownBy(() -> withProperty("CDN_BASE_URL", baseUrl, StreamLambdaHandler::new))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CDN_BASE_URL");
    }

    @Test
    void primingFailsTheSnapshotWhenARouteAnswersOtherThanExpected() {
        ApiEvents.handler();
        StreamLambdaHandler refusesJpegs = withProperty("ALLOWED_CONTENT_TYPES", "application/pdf", StreamLambdaHandler::new);

        assertThatThrownBy(() -> refusesJpegs.beforeCheckpoint(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("POST /uploads answered 400 instead of 201");
    }

    private static <T> T withProperty(String name, String value, java.util.function.Supplier<T> action) {
        String previous = System.getProperty(name);
        System.setProperty(name, value);
        try {
            return action.get();
        } finally {
            if (previous == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, previous);
            }
        }
    }
}
