package dev.mediagate.api.cdn;

import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where and how downloads are signed. The private key is named, never held here: a Secrets Manager secret in AWS
 * ({@code CDN_PRIVATE_KEY_SECRET_ID}) or a PEM file locally ({@code CDN_PRIVATE_KEY_FILE}), exactly one of them.
 */
public record CdnConfig(String baseUrl, String keyPairId, Optional<String> privateKeySecretId, Optional<Path> privateKeyFile,
        Optional<String> cookieDomain, Duration downloadUrlTtl) {

    private static final Pattern KEY_PAIR_ID = Pattern.compile("[A-Z0-9]{6,64}");
    private static final Pattern DOMAIN = Pattern.compile("\\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    public static CdnConfig from(Settings settings) {
        String baseUrl = settings.httpUrl("CDN_BASE_URL")
                .orElseThrow(() -> new ConfigurationException("CDN_BASE_URL", "is required but not set"))
                .toString();
        String path = URI.create(baseUrl).getRawPath();
        if (path != null && !path.isEmpty()) {
            // Every policy starts with the base URL literally: a path in it (above all a * or ?) would make the part of
            // a policy that decides what it grants a wildcard.
            throw new ConfigurationException("CDN_BASE_URL", "must be the CDN's origin (scheme, host and port) without a path");
        }
        String keyPairId = settings.required("CDN_KEY_PAIR_ID");
        if (!KEY_PAIR_ID.matcher(keyPairId).matches()) {
            throw new ConfigurationException("CDN_KEY_PAIR_ID", "must be a CloudFront public key id (upper-case letters and digits)");
        }
        Optional<String> secretId = settings.optional("CDN_PRIVATE_KEY_SECRET_ID");
        Optional<Path> file = settings.optional("CDN_PRIVATE_KEY_FILE").map(Path::of);
        if (secretId.isPresent() == file.isPresent()) {
            throw new ConfigurationException(secretId.isPresent() ? "CDN_PRIVATE_KEY_FILE" : "CDN_PRIVATE_KEY_SECRET_ID",
                    "set exactly one of CDN_PRIVATE_KEY_SECRET_ID (AWS) and CDN_PRIVATE_KEY_FILE (local)");
        }
        Optional<String> cookieDomain = settings.optional("CDN_COOKIE_DOMAIN");
        if (cookieDomain.isPresent() && !DOMAIN.matcher(cookieDomain.get()).matches()) {
            throw new ConfigurationException("CDN_COOKIE_DOMAIN", "is not a domain name: '" + cookieDomain.get() + "'");
        }
        if (cookieDomain.isPresent() && !domainMatches(URI.create(baseUrl).getHost(), cookieDomain.get())) {
            // A browser would store the cookies and never send them to the CDN.
            throw new ConfigurationException("CDN_COOKIE_DOMAIN", "must be the CDN_BASE_URL's host or a parent domain of it");
        }
        Duration ttl = Duration.ofSeconds(settings.longInRange("DOWNLOAD_URL_TTL_SECONDS", 600, 1, 7L * 24 * 3600));
        return new CdnConfig(baseUrl, keyPairId, secretId, file, cookieDomain, ttl);
    }

    /** RFC 6265 domain matching: the host is the cookie domain or one of its subdomains. */
    private static boolean domainMatches(String host, String cookieDomain) {
        String domain = cookieDomain.startsWith(".") ? cookieDomain.substring(1) : cookieDomain;
        String lowerHost = host.toLowerCase(Locale.ROOT);
        String lowerDomain = domain.toLowerCase(Locale.ROOT);
        return lowerHost.equals(lowerDomain) || lowerHost.endsWith("." + lowerDomain);
    }

    public boolean secure() {
        return baseUrl.startsWith("https://");
    }
}
