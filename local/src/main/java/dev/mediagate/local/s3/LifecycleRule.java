package dev.mediagate.local.s3;

import dev.mediagate.local.sam.SamTemplate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One rule of a bucket's {@code LifecycleConfiguration} (CloudFormation's {@code AWS::S3::Bucket Rule}), as the local
 * lifecycle applies it: its filter ({@code Prefix} and every one of its {@code TagFilters}, AND) and its
 * {@code ExpirationInDays}. The actions the local stack does not model ({@code AbortIncompleteMultipartUpload}, the
 * noncurrent-version and transition actions, {@code ExpirationDate}) are named in {@link #notModelled()} instead of being
 * half-done; a rule that also filters by object size is never applied ({@link #appliedLocally()}), since expiring without
 * that filter would delete objects S3 keeps.
 */
public record LifecycleRule(String id, boolean enabled, String prefix, Map<String, String> tagFilters, OptionalInt expirationDays,
        List<String> notModelled, Optional<String> unmodelledFilter) {

    private static final Set<String> UNMODELLED_ACTIONS = Set.of("AbortIncompleteMultipartUpload", "NoncurrentVersionExpiration",
            "NoncurrentVersionExpirationInDays", "NoncurrentVersionTransition", "NoncurrentVersionTransitions", "Transition",
            "Transitions", "ExpirationDate", "ExpiredObjectDeleteMarker");
    private static final Set<String> UNMODELLED_FILTERS = Set.of("ObjectSizeGreaterThan", "ObjectSizeLessThan");
    private static final Set<String> MODELLED = Set.of("Id", "Status", "Prefix", "TagFilters", "ExpirationInDays");

    public LifecycleRule {
        tagFilters = Map.copyOf(tagFilters);
        notModelled = List.copyOf(notModelled);
    }

    /** The rules of a bucket resource's {@code LifecycleConfiguration}, evaluated with the stack's parameters. */
    public static List<LifecycleRule> of(SamTemplate template, String bucketLogicalId) {
        Object configuration = template.evaluate(template.properties(bucketLogicalId).get("LifecycleConfiguration"));
        List<LifecycleRule> rules = new ArrayList<>();
        List<Object> entries = SamTemplate.list(SamTemplate.map(configuration).get("Rules"));
        for (int i = 0; i < entries.size(); i++) {
            rules.add(parse(bucketLogicalId, i, SamTemplate.map(entries.get(i))));
        }
        return List.copyOf(rules);
    }

    static LifecycleRule parse(String bucketLogicalId, int index, Map<String, Object> rule) {
        // S3 names a rule without an Id itself; the position is what the template says of it.
        String id = rule.containsKey("Id") ? String.valueOf(rule.get("Id")) : bucketLogicalId + " rule " + (index + 1);
        String status = String.valueOf(rule.get("Status"));
        if (!status.equals("Enabled") && !status.equals("Disabled")) {
            throw new IllegalArgumentException("lifecycle rule " + id + ": Status must be Enabled or Disabled, got " + status);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Object value : SamTemplate.list(rule.get("TagFilters"))) {
            Map<String, Object> tag = SamTemplate.map(value);
            String key = String.valueOf(tag.get("Key"));
            if (tags.put(key, String.valueOf(tag.get("Value"))) != null) {
                throw new IllegalArgumentException("lifecycle rule " + id + ": TagFilters names " + key + " twice");
            }
        }
        OptionalInt days = OptionalInt.empty();
        if (rule.get("ExpirationInDays") != null) {
            String value = String.valueOf(rule.get("ExpirationInDays"));
            try {
                days = OptionalInt.of(Integer.parseInt(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("lifecycle rule " + id + ": ExpirationInDays must be a whole number, got " + value);
            }
            // S3 API Reference, LifecycleExpiration: "The value must be a non-zero positive integer."
            if (days.getAsInt() < 1) {
                throw new IllegalArgumentException("lifecycle rule " + id + ": ExpirationInDays must be at least 1, got " + value);
            }
        }
        List<String> notModelled = new ArrayList<>();
        Optional<String> unmodelledFilter = Optional.empty();
        for (String property : rule.keySet()) {
            if (UNMODELLED_FILTERS.contains(property)) {
                unmodelledFilter = Optional.of(property);
            } else if (UNMODELLED_ACTIONS.contains(property)) {
                notModelled.add(property);
            } else if (!MODELLED.contains(property)) {
                throw new IllegalArgumentException("lifecycle rule " + id + ": the local lifecycle does not know " + property);
            }
        }
        return new LifecycleRule(id, status.equals("Enabled"), String.valueOf(rule.getOrDefault("Prefix", "")), tags, days,
                notModelled, unmodelledFilter);
    }

    /** Whether the local lifecycle expires anything by this rule: enabled, with days, and no filter it cannot apply. */
    public boolean appliedLocally() {
        return enabled && expirationDays.isPresent() && unmodelledFilter.isEmpty();
    }

    /** Whether the rule's filter selects the object: its key starts with the prefix and it carries every tag filter. */
    public boolean selects(String key, Map<String, String> tags) {
        return key.startsWith(prefix) && tagFilters.entrySet().stream().allMatch(tag -> tag.getValue().equals(tags.get(tag.getKey())));
    }

    /**
     * When S3 expires an object created (last modified) at {@code created} by this rule. S3 User Guide, "Lifecycle
     * configuration elements", Lifecycle rules based on an object's age: "Amazon S3 calculates the time by adding the
     * number of days specified in the rule to the object creation time and rounding the resulting time to the next day
     * midnight UTC" (created 1/15/2014 10:30 UTC + 3 days: 1/19/2014 00:00 UTC). A sum that falls on midnight exactly is
     * rounded to the following one too: the local lifecycle never expires an object before S3 could.
     */
    public Instant expiresAt(Instant created) {
        return expiresAt(created, expirationDays.orElseThrow());
    }

    static Instant expiresAt(Instant created, int days) {
        return created.plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    }
}
