package dev.mediagate.local.cdn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a CloudFront signature the way the edge does, written from CloudFront's documentation and independent of the
 * SDK that signs: the policy (canned, rebuilt from the URL and {@code Expires}; or custom, from {@code Policy}), the
 * RSA-SHA1 signature in CloudFront's URL-safe base64, the key pair id, expiry, start time, resource wildcards and IP
 * ranges. The local stack's CDN edge and the tests use it.
 *
 * <p>The resource a policy is matched against is the URL as the viewer sent it, query string included, minus the
 * signing parameters ({@link #resourceUrl}): the developer guide, "Create a signed URL using a custom policy", defines
 * {@code Resource} as "the URL, including any query strings, but excluding the CloudFront Policy, Signature,
 * Key-Pair-Id, and Hash-Algorithm parameters", and its example {@code …/*game_download.zip*} matches
 * {@code …/example_game_download.zip?license=yes}. Wildcards match across the whole URL here ({@code *} any run of
 * characters, {@code ?} exactly one): the current guide confines a wildcard to its section (protocol, domain, path,
 * query string) except that a trailing {@code *} in the path also covers the query string, and every URL matched that
 * way is also matched across the whole URL, so this edge grants a superset of what CloudFront grants and a policy it
 * refuses to widen is narrow under either reading.
 */
public final class CloudFrontVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The query parameters that carry the signature; everything else in the query string is part of the resource. */
    public static final List<String> SIGNING_PARAMETERS = List.of("Expires", "Policy", "Signature", "Key-Pair-Id",
            "Hash-Algorithm");
    private final Map<String, PublicKey> trustedKeys;

    public CloudFrontVerifier(Map<String, PublicKey> trustedKeys) {
        this.trustedKeys = Map.copyOf(trustedKeys);
    }

    /**
     * The URL a policy is matched against: {@code baseUrl} (scheme and host), the path and the query string exactly as
     * sent, with the signing parameters taken out wherever they stand; no {@code ?} when nothing else is left.
     */
    public static String resourceUrl(String baseUrl, String rawPath, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return baseUrl + rawPath;
        }
        List<String> kept = new ArrayList<>();
        for (String parameter : rawQuery.split("&", -1)) {
            int eq = parameter.indexOf('=');
            String name = eq < 0 ? parameter : parameter.substring(0, eq);
            if (!SIGNING_PARAMETERS.contains(name)) {
                kept.add(parameter);
            }
        }
        return kept.isEmpty() ? baseUrl + rawPath : baseUrl + rawPath + "?" + String.join("&", kept);
    }

    /**
     * Empty when access is granted, else why not. {@code resourceUrl}: the request's URL as {@link #resourceUrl} makes
     * it; {@code credentials}: Expires or Policy, Signature, Key-Pair-Id and optionally Hash-Algorithm.
     */
    public Optional<String> refusal(String resourceUrl, Map<String, String> credentials, String clientIp, Instant now) {
        String keyPairId = credentials.get("Key-Pair-Id");
        String signature = credentials.get("Signature");
        if (keyPairId == null || signature == null) {
            return Optional.of("missing signature or key pair id");
        }
        PublicKey key = trustedKeys.get(keyPairId);
        if (key == null) {
            return Optional.of("key pair id is not trusted");
        }
        byte[] policy;
        if (credentials.containsKey("Policy")) {
            try {
                policy = decode(credentials.get("Policy"));
            } catch (IllegalArgumentException e) {
                return Optional.of("policy is not CloudFront base64");
            }
        } else if (credentials.containsKey("Expires")) {
            if (!credentials.get("Expires").matches("\\d{1,12}")) {
                return Optional.of("expires is not an epoch time");
            }
            policy = ("{\"Statement\":[{\"Resource\":\"" + resourceUrl + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":"
                    + credentials.get("Expires") + "}}}]}").getBytes(StandardCharsets.UTF_8);
        } else {
            return Optional.of("neither Policy nor Expires");
        }
        String hashAlgorithm = credentials.getOrDefault("Hash-Algorithm", "SHA1");
        if (!hashAlgorithm.equals("SHA1") && !hashAlgorithm.equals("SHA256")) {
            return Optional.of("hash algorithm is neither SHA1 nor SHA256");
        }
        if (!signatureMatches(policy, signature, key, hashAlgorithm + "withRSA")) {
            return Optional.of("signature does not match the policy");
        }
        return policyRefusal(policy, resourceUrl, clientIp, now);
    }

    private static Optional<String> policyRefusal(byte[] policy, String resourceUrl, String clientIp, Instant now) {
        JsonNode statement;
        try {
            statement = JSON.readTree(policy).path("Statement").path(0);
        } catch (IOException e) {
            return Optional.of("policy is not JSON");
        }
        String resource = statement.path("Resource").asText(null);
        if (resource == null || !resourceMatches(resource, resourceUrl)) {
            return Optional.of("resource is not covered by the policy");
        }
        JsonNode condition = statement.path("Condition");
        JsonNode lessThan = condition.path("DateLessThan").path("AWS:EpochTime");
        if (!lessThan.canConvertToLong() || now.getEpochSecond() >= lessThan.asLong()) {
            return Optional.of("expired");
        }
        JsonNode greaterThan = condition.path("DateGreaterThan").path("AWS:EpochTime");
        if (!greaterThan.isMissingNode() && now.getEpochSecond() <= greaterThan.asLong()) {
            return Optional.of("not valid yet");
        }
        JsonNode ip = condition.path("IpAddress").path("AWS:SourceIp");
        if (!ip.isMissingNode() && !inRange(clientIp, ip.asText())) {
            return Optional.of("client address is outside the policy's range");
        }
        return Optional.empty();
    }

    private static boolean signatureMatches(byte[] policy, String signature, PublicKey key, String algorithm) {
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(policy);
            return verifier.verify(decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** CloudFront's URL-safe base64: {@code -} for {@code +}, {@code _} for {@code =}, {@code ~} for {@code /}. */
    static byte[] decode(String cloudFrontBase64) {
        return Base64.getDecoder().decode(cloudFrontBase64.replace('-', '+').replace('_', '=').replace('~', '/'));
    }

    /** Whether a policy's {@code Resource} matches a request's resource URL (see the class comment). */
    public static boolean resourceMatches(String policyResource, String resourceUrl) {
        return wildcard(policyResource).matcher(resourceUrl).matches();
    }

    /** {@code *} matches any run of characters (slashes and the query string included), {@code ?} exactly one. */
    private static Pattern wildcard(String resource) {
        StringBuilder regex = new StringBuilder();
        for (char c : resource.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static boolean inRange(String clientIp, String cidr) {
        try {
            String[] parts = cidr.split("/", 2);
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            byte[] address = InetAddress.getByName(clientIp).getAddress();
            if (network.length != address.length) {
                return false;
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(network.length * 8).subtract(BigInteger.ONE)
                    .shiftRight(bits).not();
            return new BigInteger(1, network).and(mask).equals(new BigInteger(1, address).and(mask));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
