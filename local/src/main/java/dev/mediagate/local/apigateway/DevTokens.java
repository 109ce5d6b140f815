package dev.mediagate.local.apigateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local identity provider and API Gateway's JWT authorizer in one: mints RS256 tokens for any user name, and checks
 * a bearer token as the authorizer does (RS256 signature with the issuer's key, {@code iss}, {@code aud}, {@code exp}).
 */
public final class DevTokens {

    static final String KEY_ID = "mediagate-local";
    private static final Duration LIFETIME = Duration.ofHours(8);

    private final KeyPair keys;
    private final String issuer;
    private final List<String> audiences;
    private final Clock clock;

    public DevTokens(KeyPair keys, String issuer, List<String> audiences, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audiences = List.copyOf(audiences);
        this.clock = clock;
    }

    public String mint(String subject) {
        return mint(subject, "");
    }

    /** A token for {@code subject} with these space-separated OAuth scopes (none when blank) in its {@code scope} claim. */
    public String mint(String subject, String scope) {
        Date now = Date.from(clock.instant());
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(issuer).audience(audiences.get(0)).subject(subject)
                .issueTime(now).expirationTime(Date.from(clock.instant().plus(LIFETIME)));
        if (!scope.isBlank()) {
            builder.claim("scope", scope.trim());
        }
        JWTClaimsSet claims = builder.build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The claims as API Gateway hands them to the function (every value a string), or empty when refused. */
    Optional<Map<String, String>> verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring(7).trim());
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !jwt.verify(new RSASSAVerifier((RSAPublicKey) keys.getPublic()))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiry = claims.getExpirationTime();
            if (!issuer.equals(claims.getIssuer()) || claims.getSubject() == null || expiry == null
                    || !expiry.toInstant().isAfter(clock.instant())
                    || claims.getAudience().stream().noneMatch(audiences::contains)) {
                return Optional.empty();
            }
            Map<String, String> values = new LinkedHashMap<>();
            claims.getClaims().forEach((name, value) -> values.put(name, value instanceof Date date
                    ? String.valueOf(date.toInstant().getEpochSecond())
                    : value instanceof List<?> list ? (list.size() == 1 ? String.valueOf(list.get(0)) : "[" + list.stream()
                            .map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")) + "]") : String.valueOf(value)));
            return Optional.of(values);
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The scopes the verified claims grant, from {@code scope} (space-separated) or {@code scp} (a list). */
    static List<String> scopes(Map<String, String> claims) {
        List<String> scopes = new java.util.ArrayList<>();
        for (String claim : new String[] {claims.get("scope"), claims.get("scp")}) {
            if (claim != null) {
                String list = claim.startsWith("[") && claim.endsWith("]") ? claim.substring(1, claim.length() - 1) : claim;
                for (String scope : list.split("[\\s,]+")) {
                    if (!scope.isEmpty()) {
                        scopes.add(scope);
                    }
                }
            }
        }
        return scopes;
    }

    String issuer() {
        return issuer;
    }

    List<String> audiences() {
        return audiences;
    }
}
