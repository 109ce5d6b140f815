package dev.mediagate.api.cdn;

import dev.mediagate.core.files.Owner;
import java.time.Clock;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /cdn-cookies}: the three CloudFront cookies for {@code {CDN_BASE_URL}/variants/{owner}/*}. */
@RestController
class CdnCookieController {

    private final CdnSigner signer;
    private final CdnConfig config;
    private final Clock clock;

    CdnCookieController(CdnSigner signer, CdnConfig config, Clock clock) {
        this.signer = signer;
        this.config = config;
        this.clock = clock;
    }

    @PostMapping("/cdn-cookies")
    ResponseEntity<Void> issueCookies(Owner owner) {
        CdnSigner.Cookies cookies = signer.ownerCookies(owner);
        Duration maxAge = Duration.between(clock.instant(), cookies.expiresAt());
        return ResponseEntity.noContent()
                .header(HttpHeaders.SET_COOKIE, cookie("CloudFront-Policy", cookies.policy(), maxAge))
                .header(HttpHeaders.SET_COOKIE, cookie("CloudFront-Signature", cookies.signature(), maxAge))
                .header(HttpHeaders.SET_COOKIE, cookie("CloudFront-Key-Pair-Id", cookies.keyPairId(), maxAge))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private String cookie(String name, String value, Duration maxAge) {
        ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(name, value).path("/").httpOnly(true).maxAge(maxAge);
        if (config.secure()) {
            // The CDN is another site than the page: the cookies must travel with cross-site image requests.
            cookie.secure(true).sameSite("None");
        }
        config.cookieDomain().ifPresent(cookie::domain);
        return cookie.build().toString();
    }
}
