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
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a CloudFront signature the way the edge does, written from CloudFront's documentation and independent of the
 * SDK that signs: the policy (canned, rebuilt from the URL and {@code Expires}; or custom, from {@code Policy}), the
 * RSA-SHA1 signature in CloudFront's URL-safe base64, the key pair id, expiry, start time, resource wildcards and IP
 * ranges. The local stack's CDN edge and the tests use it.
 */
public final class CloudFrontVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, PublicKey> trustedKeys;

    public CloudFrontVerifier(Map<String, PublicKey> trustedKeys) {
        this.trustedKeys = Map.copyOf(trustedKeys);
    }

    /** Empty when access is granted, else why not. {@code credentials}: Expires or Policy, Signature, Key-Pair-Id. */
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
        if (!signatureMatches(policy, signature, key)) {
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
        if (resource == null || !wildcard(resource).matcher(resourceUrl).matches()) {
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

    private static boolean signatureMatches(byte[] policy, String signature, PublicKey key) {
        try {
            Signature verifier = Signature.getInstance("SHA1withRSA");
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

    /** {@code *} matches any run of characters (slashes included), {@code ?} exactly one. */
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
