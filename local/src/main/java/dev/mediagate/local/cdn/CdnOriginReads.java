package dev.mediagate.local.cdn;

import static dev.mediagate.local.sam.SamTemplate.list;
import static dev.mediagate.local.sam.SamTemplate.map;

import dev.mediagate.local.sam.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which keys the distribution may read from the bucket, taken from {@code MediaBucketPolicy} in template.yaml: the
 * statements whose principal is the CloudFront service and whose actions cover {@code s3:GetObject}. As in IAM, an
 * explicit Deny wins, then an Allow allows, and anything else is implicitly denied; the {@code AWS:SourceArn}
 * condition names the stack's one distribution, which this edge stands in for. Reading the template keeps the local
 * edge from serving what the deployed bucket policy refuses (manifests, share and multipart records).
 */
public final class CdnOriginReads {

    static final String CLOUDFRONT = "cloudfront.amazonaws.com";

    private final List<Pattern> allowed;
    private final List<Pattern> denied;

    CdnOriginReads(List<String> allowedKeys, List<String> deniedKeys) {
        this.allowed = allowedKeys.stream().map(CdnOriginReads::wildcard).toList();
        this.denied = deniedKeys.stream().map(CdnOriginReads::wildcard).toList();
    }

    /** The key patterns of the template's bucket policy for the CloudFront principal. */
    public static CdnOriginReads from(SamTemplate template) {
        List<String> allowed = new ArrayList<>();
        List<String> denied = new ArrayList<>();
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
                // A Deny with conditions (e.g. aws:SecureTransport false) does not concern the edge's TLS reads.
                if (deny && !map(statement.get("Condition")).isEmpty()) {
                    continue;
                }
                (deny ? denied : allowed).add(key);
            }
        }
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("template.yaml: MediaBucketPolicy lets CloudFront read no key");
        }
        return new CdnOriginReads(allowed, denied);
    }

    /** Whether the bucket policy lets the distribution read this key. */
    public boolean mayRead(String key) {
        return denied.stream().noneMatch(pattern -> pattern.matcher(key).matches())
                && allowed.stream().anyMatch(pattern -> pattern.matcher(key).matches());
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
