package dev.mediagate.local.cdn;

import static dev.mediagate.local.sam.SamTemplate.list;
import static dev.mediagate.local.sam.SamTemplate.map;

import dev.mediagate.local.sam.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Which keys the distribution may read from the bucket, taken from {@code MediaBucketPolicy} in template.yaml: the
 * statements whose principal is the CloudFront service and whose actions cover {@code s3:GetObject}. As in IAM, an
 * explicit Deny wins, then an Allow allows, and anything else is implicitly denied; the {@code AWS:SourceArn}
 * condition names the stack's one distribution, which this edge stands in for. Reading the template keeps the local
 * edge from serving what the deployed bucket policy refuses (manifests, share and multipart records).
 *
 * <p>A Deny whose conditions are on the object's tags ({@code s3:ExistingObjectTag/KEY}, as malware scanning's
 * {@code GuardDutyMalwareScanStatus}) is evaluated against the object's tags, as S3 does: the negated operators
 * ({@code StringNotEquals}, {@code StringNotLike}) match an object that lacks the tag, the others do not (IAM User
 * Guide, "Condition operators": a negated operator on a missing key evaluates to true). Other conditioned Denies (e.g.
 * {@code aws:SecureTransport} false) do not concern the edge's TLS reads.
 */
public final class CdnOriginReads {

    static final String CLOUDFRONT = "cloudfront.amazonaws.com";
    static final String EXISTING_OBJECT_TAG = "s3:ExistingObjectTag/";

    /** A Deny that applies only when its conditions on the object's tags hold (operator → tag key → values). */
    private record TagDeny(Pattern key, Map<String, Map<String, List<String>>> conditions) {
    }

    private final List<Pattern> allowed;
    private final List<Pattern> denied;
    private final List<TagDeny> deniedByTags;

    CdnOriginReads(List<String> allowedKeys, List<String> deniedKeys) {
        this(allowedKeys, deniedKeys, List.of());
    }

    private CdnOriginReads(List<String> allowedKeys, List<String> deniedKeys, List<TagDeny> deniedByTags) {
        this.allowed = allowedKeys.stream().map(CdnOriginReads::wildcard).toList();
        this.denied = deniedKeys.stream().map(CdnOriginReads::wildcard).toList();
        this.deniedByTags = deniedByTags;
    }

    /** The key patterns of the template's bucket policy for the CloudFront principal. */
    public static CdnOriginReads from(SamTemplate template) {
        List<String> allowed = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        List<TagDeny> deniedByTags = new ArrayList<>();
        Object statements = template.evaluate(map(template.properties("MediaBucketPolicy").get("PolicyDocument")).get("Statement"));
        for (Object value : list(statements)) {
            Map<String, Object> statement = map(value);
            boolean cloudFront = list(map(statement.get("Principal")).get("Service")).contains(CLOUDFRONT)
                    || "*".equals(statement.get("Principal"));
            boolean getObject = list(statement.get("Action")).stream().map(String::valueOf)
                    .anyMatch(action -> wildcard(action.toLowerCase()).matcher("s3:getobject").matches());
            if (!cloudFront || !getObject || statement.containsKey("NotResource")) {
                continue;
            }
            for (Object resource : list(statement.get("Resource"))) {
                String arn = String.valueOf(resource);
                int slash = arn.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String key = arn.substring(slash + 1);
                boolean deny = "Deny".equals(statement.get("Effect"));
                Map<String, Object> condition = map(statement.get("Condition"));
                if (deny && !condition.isEmpty()) {
                    tagConditions(condition).ifPresent(tags -> deniedByTags.add(new TagDeny(wildcard(key), tags)));
                    continue;
                }
                (deny ? denied : allowed).add(key);
            }
        }
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("template.yaml: MediaBucketPolicy lets CloudFront read no key");
        }
        return new CdnOriginReads(allowed, denied, deniedByTags);
    }

    /**
     * A Deny's conditions when every one is on the object's tags; empty when one is a request key that never concerns
     * the distribution ({@link #CDN_NEVER_MATCHES}).
     *
     * @throws IllegalArgumentException for any other condition key: the local edge would otherwise serve what S3 refuses
     */
    /**
     * Request keys whose Deny never concerns the distribution's reads: CloudFront reaches an S3 origin through origin
     * access control over HTTPS, so a Deny of requests without TLS ({@code aws:SecureTransport} false) never applies.
     */
    private static final java.util.Set<String> CDN_NEVER_MATCHES = java.util.Set.of("aws:SecureTransport");

    private static java.util.Optional<Map<String, Map<String, List<String>>>> tagConditions(Map<String, Object> condition) {
        Map<String, Map<String, List<String>>> tags = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> operator : condition.entrySet()) {
            Map<String, List<String>> keys = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, Object> key : map(operator.getValue()).entrySet()) {
                if (CDN_NEVER_MATCHES.contains(key.getKey())) {
                    return java.util.Optional.empty();
                }
                if (!key.getKey().startsWith(EXISTING_OBJECT_TAG)) {
                    // A Deny the edge ignored would let it serve what S3 refuses: a key it cannot judge is an error.
                    throw new IllegalArgumentException("template.yaml: MediaBucketPolicy denies CloudFront's reads on condition key "
                            + key.getKey() + ", which the local edge does not model");
                }
                keys.put(key.getKey().substring(EXISTING_OBJECT_TAG.length()), list(key.getValue()).stream().map(String::valueOf).toList());
            }
            if (!List.of("StringEquals", "StringNotEquals", "StringLike", "StringNotLike").contains(operator.getKey())) {
                throw new IllegalArgumentException("template.yaml: MediaBucketPolicy's condition operator " + operator.getKey()
                        + " on object tags is not modelled by the local edge");
            }
            tags.put(operator.getKey(), keys);
        }
        return java.util.Optional.of(tags);
    }

    /** Whether the bucket policy lets the distribution read this key, for an object without tags. */
    public boolean mayRead(String key) {
        return mayRead(key, Map::of);
    }

    /** Whether the bucket policy lets the distribution read this key; the object's tags are asked for only if a Deny needs them. */
    public boolean mayRead(String key, Supplier<Map<String, String>> objectTags) {
        if (denied.stream().anyMatch(pattern -> pattern.matcher(key).matches())
                || allowed.stream().noneMatch(pattern -> pattern.matcher(key).matches())) {
            return false;
        }
        List<TagDeny> concerned = deniedByTags.stream().filter(deny -> deny.key().matcher(key).matches()).toList();
        if (concerned.isEmpty()) {
            return true;
        }
        Map<String, String> tags = objectTags.get();
        return concerned.stream().noneMatch(deny -> deny.conditions().entrySet().stream().allMatch(operator ->
                operator.getValue().entrySet().stream().allMatch(tag -> holds(operator.getKey(), tags.get(tag.getKey()), tag.getValue()))));
    }

    /** IAM's string operators; a negated one holds for a missing tag, the others do not. */
    private static boolean holds(String operator, String actual, List<String> values) {
        return switch (operator) {
            case "StringEquals" -> actual != null && values.contains(actual);
            case "StringNotEquals" -> actual == null || !values.contains(actual);
            case "StringLike" -> actual != null && values.stream().anyMatch(value -> wildcard(value).matcher(actual).matches());
            case "StringNotLike" -> actual == null || values.stream().noneMatch(value -> wildcard(value).matcher(actual).matches());
            default -> throw new IllegalArgumentException("condition operator " + operator + " is not modelled");
        };
    }

    /** IAM's resource wildcards: {@code *} any run of characters, slashes included; {@code ?} exactly one. */
    private static Pattern wildcard(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
