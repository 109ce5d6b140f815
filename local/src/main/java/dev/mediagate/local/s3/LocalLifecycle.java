package dev.mediagate.local.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.local.LocalLog;
import dev.mediagate.local.sam.SamTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 Lifecycle, locally, on a simulated clock: {@link #run(Instant)} expires what the template's buckets'
 * {@code LifecycleConfiguration} rules would have expired by that instant, as S3 would by then: only {@code Enabled}
 * rules, each object by the earliest expiration of the rules that select it (prefix and tags as they are when it runs),
 * counted from its last modification (S3 keeps no other creation time: a copy onto itself restarts the count). S3 runs
 * its lifecycle by itself, once a day and asynchronously; nothing runs this one but a person or a test
 * ({@code POST /_local/lifecycle?at=…}, the jar's {@code lifecycle} command), so an object past its expiration stays
 * until then, as it may for a while in S3. Each expired object is deleted through the local S3's store like a delete (its
 * tags go with it), announced as {@code s3:LifecycleExpiration:Delete}, which no {@code s3:ObjectRemoved:*} subscription
 * receives.
 */
public final class LocalLifecycle {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A bucket's rules, in the template's order. */
    record BucketRules(String bucket, List<LifecycleRule> rules) {
    }

    /** Deletes one object as S3 Lifecycle does. */
    @FunctionalInterface
    public interface Expiry {
        void expire(String bucket, String key);
    }

    private final List<BucketRules> buckets;
    private final Function<String, List<S3Object>> listing;
    private final BiFunction<String, String, Map<String, String>> tags;
    private final Expiry expiry;

    LocalLifecycle(List<BucketRules> buckets, Function<String, List<S3Object>> listing,
            BiFunction<String, String, Map<String, String>> tags, Expiry expiry) {
        this.buckets = List.copyOf(buckets);
        this.listing = listing;
        this.tags = tags;
        this.expiry = expiry;
    }

    /**
     * The lifecycle of every bucket of the template that has one; {@code listing} lists a bucket whole (none when it does
     * not exist locally). What it does not model is said once here, rule by rule.
     */
    public static LocalLifecycle from(SamTemplate template, Function<String, List<S3Object>> listing, ObjectTags objectTags,
            Expiry expiry) {
        List<BucketRules> buckets = new ArrayList<>();
        for (String bucketId : template.logicalIdsOfType("AWS::S3::Bucket")) {
            if (!template.exists(bucketId) || !template.properties(bucketId).containsKey("LifecycleConfiguration")) {
                continue;
            }
            String bucket = template.resolve(template.properties(bucketId).get("BucketName"));
            List<LifecycleRule> rules = LifecycleRule.of(template, bucketId);
            for (LifecycleRule rule : rules) {
                if (!rule.enabled()) {
                    continue;
                }
                if (!rule.notModelled().isEmpty()) {
                    LocalLog.line("s3", "lifecycle rule " + rule.id() + " of " + bucket + ": " + String.join(", ", rule.notModelled())
                            + " not modelled locally");
                }
                rule.unmodelledFilter().ifPresent(filter -> LocalLog.line("s3", "lifecycle rule " + rule.id() + " of " + bucket
                        + ": filters by " + filter + ", not modelled locally: it expires nothing here"));
            }
            buckets.add(new BucketRules(bucket, rules));
        }
        return new LocalLifecycle(buckets, listing, objectTags::of, expiry);
    }

    /** What one run expired, rule by rule. */
    public record Report(Instant at, List<RuleReport> rules) {

        public int expired() {
            return rules.stream().mapToInt(rule -> rule.keys().size()).sum();
        }

        public String json() {
            ObjectNode root = JSON.createObjectNode();
            root.put("at", at.toString());
            root.put("expired", expired());
            ArrayNode list = root.putArray("rules");
            for (RuleReport rule : rules) {
                ObjectNode node = list.addObject();
                node.put("bucket", rule.bucket());
                node.put("id", rule.id());
                node.put("expired", rule.keys().size());
                rule.keys().forEach(node.putArray("keys")::add);
                if (!rule.notModelled().isEmpty()) {
                    rule.notModelled().forEach(node.putArray("notModelled")::add);
                }
            }
            return root.toString();
        }
    }

    /** One enabled rule's expirations, with what of it the local lifecycle does not do. */
    public record RuleReport(String bucket, String id, List<String> keys, List<String> notModelled) {
    }

    /**
     * The simulated instant a run stands at: {@code at}, an ISO-8601 instant ({@code 2026-12-20T00:00:00Z}), or
     * {@code after}, a time from {@code now}: whole days ({@code 9d}), hours ({@code 36h}) or an ISO-8601 duration
     * ({@code P9D}, {@code PT36H}). Exactly one of them.
     */
    public static Instant instant(String at, String after, Instant now) {
        if ((at == null) == (after == null)) {
            throw new IllegalArgumentException("name the simulated time with at (an instant, 2026-12-20T00:00:00Z) or after (9d, 36h, P9DT12H), one of them");
        }
        if (at != null) {
            try {
                return Instant.parse(at);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("at must be an ISO-8601 instant in UTC, e.g. 2026-12-20T00:00:00Z, got '" + at + "'");
            }
        }
        java.util.regex.Matcher shortForm = java.util.regex.Pattern.compile("(\\d{1,6})([dh])").matcher(after);
        java.time.Duration duration;
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            duration = shortForm.group(2).equals("d") ? java.time.Duration.ofDays(amount) : java.time.Duration.ofHours(amount);
        } else {
            try {
                duration = java.time.Duration.parse(after);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("after must be days (9d), hours (36h) or an ISO-8601 duration (P9DT12H), got '" + after + "'");
            }
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("after must not be negative: the lifecycle's clock only moves forward, got '" + after + "'");
        }
        return now.plus(duration);
    }

    /** Expires, in every bucket, each object some enabled rule says has expired by {@code at}. */
    public synchronized Report run(Instant at) {
        List<RuleReport> reports = new ArrayList<>();
        for (BucketRules bucket : buckets) {
            List<LifecycleRule> rules = bucket.rules();
            List<List<String>> expired = new ArrayList<>();
            rules.forEach(rule -> expired.add(new ArrayList<>()));
            for (S3Object object : listing.apply(bucket.bucket())) {
                Map<String, String> objectTags = tags.apply(bucket.bucket(), object.key());
                int first = -1;
                Instant earliest = null;
                for (int i = 0; i < rules.size(); i++) {
                    LifecycleRule rule = rules.get(i);
                    if (rule.appliedLocally() && rule.selects(object.key(), objectTags)) {
                        Instant expiresAt = rule.expiresAt(object.lastModified());
                        if (earliest == null || expiresAt.isBefore(earliest)) {
                            first = i;
                            earliest = expiresAt;
                        }
                    }
                }
                if (first >= 0 && !earliest.isAfter(at)) {
                    expiry.expire(bucket.bucket(), object.key());
                    expired.get(first).add(object.key());
                }
            }
            for (int i = 0; i < rules.size(); i++) {
                LifecycleRule rule = rules.get(i);
                if (!rule.enabled()) {
                    continue;
                }
                List<String> keys = expired.get(i);
                List<String> notModelled = new ArrayList<>(rule.notModelled());
                rule.unmodelledFilter().ifPresent(notModelled::add);
                reports.add(new RuleReport(bucket.bucket(), rule.id(), List.copyOf(keys), List.copyOf(notModelled)));
                if (!keys.isEmpty()) {
                    LocalLog.line("s3", "lifecycle at " + at + ": " + rule.id() + " expired " + keys.size() + " in " + bucket.bucket());
                }
            }
        }
        return new Report(at, List.copyOf(reports));
    }
}
