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
 * CloudFront signatures that open exactly what they were signed for. CloudFront matches a custom policy's
 * {@code Resource} against the viewer's whole URL, query string included (developer guide, "Create a signed URL using a
 * custom policy": {@code …/*game_download.zip*} matches {@code …/example_game_download.zip?license=yes}), while the
 * object it serves is chosen by the path alone; a wildcard before the last literal character of a policy therefore
 * lets a query string carry the literal part while the path names any other object. So:
 * <ul>
 * <li>the original gets a canned policy on its exact URL (nothing but that URL, with nothing appended, matches it);</li>
 * <li>a file's variants share one custom policy on {@code {cdn}/variants/{owner}/{fileId}/*}: every character before
 * the {@code *} is literal and ends with the {@code /} that closes the file's own prefix, so the path itself must lie
 * under that prefix (fixed-length owners and file ids, {@code [a-z0-9-]}, cannot be extended into another's);</li>
 * <li>cookies cover {@code {cdn}/variants/{owner}/*} the same way.</li>
 * </ul>
 * A file thus costs at most two RSA signatures, and expiries are rounded up to a window so repeated views within it
 * reuse the cached signatures (and browsers get stable URLs to cache). URLs live between the TTL and the TTL plus one
 * window.
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

    /**
     * As {@link #fileLinks(Owner, FileId, List)}, but never valid past {@code notAfter} (a share link's own expiry).
     * Every key must be the file's original or lie under its variants prefix: nothing else is ever signed.
     */
    public Links fileLinks(Owner owner, FileId fileId, List<String> keys, Instant notAfter) {
        Instant windowed = expiry();
        Instant expiry = notAfter.isBefore(windowed) ? notAfter : windowed;
        String original = MediaKeys.original(owner, fileId);
        String variantsPrefix = MediaKeys.variantsPrefix(owner, fileId);
        for (String key : keys) {
            if (!key.equals(original) && !(key.startsWith(variantsPrefix) && key.length() > variantsPrefix.length())) {
                throw new IllegalArgumentException("not a key of file " + fileId.value() + ": " + key);
            }
        }
        Map<String, String> urls = new LinkedHashMap<>();
        String variantsQuery = null;
        for (String key : keys) {
            if (key.equals(original)) {
                urls.put(key, cannedUrl(key, expiry));
            } else {
                if (variantsQuery == null) {
                    variantsQuery = customQuery(baseUrl + "/" + variantsPrefix + "*", expiry);
                }
                urls.put(key, url(key) + "?" + variantsQuery);
            }
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

    /** A canned policy: CloudFront rebuilds it from the URL as requested, so only this exact URL matches. */
    private String cannedUrl(String key, Instant expiry) {
        String url = url(key);
        return url + "?" + signed("canned " + url, expiry,
                () -> query(cloudFront.getSignedUrlWithCannedPolicy(r -> r.resourceUrl(url)
                        .keyPairId(keyPairId).privateKey(privateKey).expirationDate(expiry)).url()));
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
