package dev.mediagate.api.cdn;

import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudfront.CloudFrontUtilities;
import software.amazon.awssdk.services.cloudfront.cookie.CookiesForCustomPolicy;

/**
 * CloudFront signatures, as few as possible: one RSA signature covers a whole file (a custom policy on
 * {@code {cdn}/* /{owner}/{fileId}*}, original and every variant), a file with a single object gets a canned policy,
 * and expiries are rounded up to a window so repeated views within it reuse the cached signature (and browsers get
 * stable URLs to cache). URLs therefore live between the TTL and the TTL plus one window.
 */
public final class CdnSigner {

    public static final Duration WINDOW = Duration.ofMinutes(5);
    private static final int CACHE_LIMIT = 10_000;

    private final CloudFrontUtilities cloudFront = CloudFrontUtilities.create();
    private final String baseUrl;
    private final String keyPairId;
    private final PrivateKey privateKey;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Object> signedResults = new ConcurrentHashMap<>();
    private final AtomicLong signatures = new AtomicLong();

    public CdnSigner(String baseUrl, String keyPairId, PrivateKey privateKey, Duration ttl, Clock clock) {
        this.baseUrl = baseUrl;
        this.keyPairId = keyPairId;
        this.privateKey = privateKey;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Signed URLs for these keys of one file, all valid until {@link Links#expiresAt()}. */
    public Links fileLinks(Owner owner, FileId fileId, List<String> keys) {
        return fileLinks(owner, fileId, keys, Instant.MAX);
    }

    /** As {@link #fileLinks(Owner, FileId, List)}, but never valid past {@code notAfter} (a share link's own expiry). */
    public Links fileLinks(Owner owner, FileId fileId, List<String> keys, Instant notAfter) {
        Instant windowed = expiry();
        Instant expiry = notAfter.isBefore(windowed) ? notAfter : windowed;
        Map<String, String> urls = new LinkedHashMap<>();
        if (keys.size() == 1) {
            String url = url(keys.get(0));
            urls.put(keys.get(0), url + "?" + signed("canned " + url, expiry,
                    () -> query(cloudFront.getSignedUrlWithCannedPolicy(r -> r.resourceUrl(url)
                            .keyPairId(keyPairId).privateKey(privateKey).expirationDate(expiry)).url())));
        } else {
            String pattern = baseUrl + "/*/" + owner.value() + "/" + fileId.value() + "*";
            String query = customQuery(pattern, expiry);
            keys.forEach(key -> urls.put(key, url(key) + "?" + query));
        }
        return new Links(urls, expiry);
    }

    /** The three CloudFront cookies for every variant of an owner: a gallery loads thumbnails with no per-URL signature. */
    public Cookies ownerCookies(Owner owner) {
        Instant expiry = expiry();
        String pattern = baseUrl + "/" + MediaKeys.ownerVariantsPrefix(owner) + "*";
        return signed("cookies " + pattern, expiry, () -> {
            CookiesForCustomPolicy cookies = cloudFront.getCookiesForCustomPolicy(r -> r.resourceUrl(pattern)
                    .keyPairId(keyPairId).privateKey(privateKey).expirationDate(expiry));
            return new Cookies(cookieValue(cookies.policyHeaderValue()), cookieValue(cookies.signatureHeaderValue()),
                    cookieValue(cookies.keyPairIdHeaderValue()), expiry);
        });
    }

    /** The plain CDN URL of a key the distribution serves without a signature (a public file's variants). */
    public String publicUrl(String key) {
        return url(key);
    }

    /** How many RSA signatures this signer has made (cache misses). */
    public long signatures() {
        return signatures.get();
    }

    public record Links(Map<String, String> urls, Instant expiresAt) {
    }

    public record Cookies(String policy, String signature, String keyPairId, Instant expiresAt) {
    }

    private String customQuery(String pattern, Instant expiry) {
        return signed("custom " + pattern, expiry, () -> query(cloudFront.getSignedUrlWithCustomPolicy(r -> r
                .resourceUrl(baseUrl + "/").resourceUrlPattern(pattern)
                .keyPairId(keyPairId).privateKey(privateKey).expirationDate(expiry)).url()));
    }

    /** One RSA signature per resource and expiry window: a repeat within the window takes the cached result. */
    @SuppressWarnings("unchecked")
    private <T> T signed(String resource, Instant expiry, Supplier<T> sign) {
        String cacheKey = resource + "@" + expiry.getEpochSecond();
        Object cached = signedResults.get(cacheKey);
        if (cached != null) {
            return (T) cached;
        }
        if (signedResults.size() >= CACHE_LIMIT) {
            signedResults.clear();
        }
        signatures.incrementAndGet();
        T result = sign.get();
        signedResults.put(cacheKey, result);
        return result;
    }

    /** {@code CloudFront-Policy=…} → the value. */
    private static String cookieValue(String headerValue) {
        return headerValue.substring(headerValue.indexOf('=') + 1);
    }

    /** Now plus the TTL, rounded up to the next window boundary. */
    private Instant expiry() {
        long earliest = clock.instant().plus(ttl).getEpochSecond();
        long window = WINDOW.getSeconds();
        return Instant.ofEpochSecond((earliest + window - 1) / window * window);
    }

    private String url(String key) {
        return baseUrl + "/" + key;
    }

    private static String query(String signedUrl) {
        return signedUrl.substring(signedUrl.indexOf('?') + 1);
    }
}
