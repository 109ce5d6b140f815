package dev.mediagate.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.local.sam.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The local lifecycle's rule evaluation, as S3 documents it: prefix and every tag filter (AND), days counted from the
 * last modification and rounded up to the next midnight UTC, disabled rules ignored, {@code !Ref} days from the stack's
 * parameters.
 */
class LocalLifecycleTest {

    private static final String TEMPLATE = """
            Parameters:
              RejectedOriginalExpirationDays:
                Type: Number
                Default: 7
              Versioning:
                Type: String
                Default: 'false'
            Conditions:
              VersioningEnabled: !Equals [!Ref Versioning, 'true']
            Resources:
              MediaBucket:
                Type: AWS::S3::Bucket
                Properties:
                  BucketName: media
                  LifecycleConfiguration:
                    Rules:
                      - Id: abort-incomplete-multipart-uploads
                        Status: Enabled
                        AbortIncompleteMultipartUpload:
                          DaysAfterInitiation: 1
                      - Id: expire-deletion-markers
                        Status: Enabled
                        Prefix: deletions/
                        ExpirationInDays: 1
                      - Id: expire-superseded-variants
                        Status: Enabled
                        TagFilters:
                          - Key: mediagate-status
                            Value: superseded
                        ExpirationInDays: 8
                      - Id: expire-rejected-originals
                        Status: Enabled
                        Prefix: originals/
                        TagFilters:
                          - Key: mediagate-status
                            Value: rejected
                          - Key: reason
                            Value: too-large
                        ExpirationInDays: !Ref RejectedOriginalExpirationDays
                      - Id: expire-everything-when-versioned
                        Status: !If [VersioningEnabled, Enabled, Disabled]
                        ExpirationInDays: 1
            """;

    @TempDir
    Path directory;

    private final Map<String, Instant> objects = new HashMap<>();
    private final Map<String, Map<String, String>> tags = new HashMap<>();
    private final List<String> expired = new ArrayList<>();

    @BeforeEach
    void template() throws IOException {
        Files.writeString(directory.resolve("template.yaml"), TEMPLATE);
    }

    private LocalLifecycle lifecycle(Map<String, String> parameters) {
        SamTemplate template = SamTemplate.load(directory.resolve("template.yaml"), parameters);
        List<LocalLifecycle.BucketRules> buckets = List.of(new LocalLifecycle.BucketRules("media", LifecycleRule.of(template, "MediaBucket")));
        return new LocalLifecycle(buckets,
                bucket -> objects.entrySet().stream().map(o -> S3Object.builder().key(o.getKey()).lastModified(o.getValue()).build()).toList(),
                (bucket, key) -> tags.getOrDefault(key, Map.of()),
                (bucket, key) -> {
                    expired.add(key);
                    objects.remove(key);
                });
    }

    private void object(String key, String lastModified, Map<String, String> objectTags) {
        objects.put(key, Instant.parse(lastModified));
        tags.put(key, objectTags);
    }

    @Test
    void expirationIsTheDaysAfterCreationRoundedUpToTheNextMidnightUtc() {
        // The S3 User Guide's example: created 1/15/2014 10:30 UTC, 3 days: 1/19/2014 00:00 UTC.
        assertThat(LifecycleRule.expiresAt(Instant.parse("2014-01-15T10:30:00Z"), 3)).isEqualTo(Instant.parse("2014-01-19T00:00:00Z"));
        assertThat(LifecycleRule.expiresAt(Instant.parse("2014-01-15T23:59:59Z"), 3)).isEqualTo(Instant.parse("2014-01-19T00:00:00Z"));
        assertThat(LifecycleRule.expiresAt(Instant.parse("2014-01-15T00:00:00Z"), 3)).isEqualTo(Instant.parse("2014-01-19T00:00:00Z"));
    }

    @Test
    void aSupersededVariantGoesAtTheMidnightAfterItsEighthDayNotBefore() {
        object("variants/o/f/thumb.webp", "2026-12-02T14:25:01Z", Map.of("mediagate-status", "superseded"));
        object("variants/o/f/g1/thumb.webp", "2026-12-02T14:25:01Z", Map.of());
        LocalLifecycle lifecycle = lifecycle(Map.of());

        assertThat(lifecycle.run(Instant.parse("2026-12-10T23:59:59Z")).expired()).isZero();
        LocalLifecycle.Report report = lifecycle.run(Instant.parse("2026-12-11T00:00:00Z"));

        assertThat(expired).containsExactly("variants/o/f/thumb.webp");
        assertThat(report.rules()).filteredOn(rule -> rule.id().equals("expire-superseded-variants"))
                .singleElement().satisfies(rule -> assertThat(rule.keys()).containsExactly("variants/o/f/thumb.webp"));
    }

    @Test
    void aRuleWithPrefixAndTagsSelectsOnlyObjectsWithTheKeyPrefixAndEveryTag() {
        String old = "2026-01-01T12:00:00Z";
        object("originals/o/both", old, Map.of("mediagate-status", "rejected", "reason", "too-large", "other", "x"));
        object("originals/o/one-tag", old, Map.of("mediagate-status", "rejected"));
        object("originals/o/other-value", old, Map.of("mediagate-status", "rejected", "reason", "malware"));
        object("variants/o/both-elsewhere", old, Map.of("mediagate-status", "rejected", "reason", "too-large"));

        lifecycle(Map.of()).run(Instant.parse("2026-02-01T00:00:00Z"));

        assertThat(expired).containsExactly("originals/o/both");
    }

    @Test
    void daysGivenByRefFollowTheStacksParameterOverrides() {
        object("originals/o/f", "2026-01-01T12:00:00Z", Map.of("mediagate-status", "rejected", "reason", "too-large"));

        assertThat(lifecycle(Map.of("RejectedOriginalExpirationDays", "30")).run(Instant.parse("2026-01-09T00:00:00Z")).expired()).isZero();
        assertThat(lifecycle(Map.of()).run(Instant.parse("2026-01-09T00:00:00Z")).expired()).isEqualTo(1);
    }

    @Test
    void aDisabledRuleExpiresNothingAndAnEnabledOneByTheSameConditionDoes() {
        object("shares/anything", "2026-01-01T12:00:00Z", Map.of());

        assertThat(lifecycle(Map.of()).run(Instant.parse("2027-01-01T00:00:00Z")).expired()).isZero();
        assertThat(lifecycle(Map.of("Versioning", "true")).run(Instant.parse("2027-01-01T00:00:00Z")).expired()).isEqualTo(1);
    }

    @Test
    void anObjectSelectedByTwoRulesGoesByTheEarlierAndUnmodelledActionsAreReported() {
        object("deletions/o/f", "2026-01-01T12:00:00Z", Map.of("mediagate-status", "superseded"));

        LocalLifecycle.Report report = lifecycle(Map.of()).run(Instant.parse("2026-01-03T00:00:00Z"));

        assertThat(report.rules()).filteredOn(rule -> rule.id().equals("expire-deletion-markers"))
                .singleElement().satisfies(rule -> assertThat(rule.keys()).containsExactly("deletions/o/f"));
        assertThat(report.rules()).filteredOn(rule -> rule.id().equals("abort-incomplete-multipart-uploads"))
                .singleElement().satisfies(rule -> assertThat(rule.notModelled()).containsExactly("AbortIncompleteMultipartUpload"));
        assertThat(report.json()).contains("\"expired\":1");
    }

    @Test
    void aRuleTheLocalLifecycleCannotApplyIsRefusedOrLeftOutNeverGuessed() {
        assertThatThrownBy(() -> LifecycleRule.parse("B", 0, Map.of("Status", "enabled", "ExpirationInDays", 1)))
                .hasMessageContaining("Status must be Enabled or Disabled");
        assertThatThrownBy(() -> LifecycleRule.parse("B", 0, Map.of("Status", "Enabled", "ExpirationInDays", 0)))
                .hasMessageContaining("at least 1");
        LifecycleRule bySize = LifecycleRule.parse("B", 0, Map.of("Status", "Enabled", "ExpirationInDays", 1, "ObjectSizeGreaterThan", 10));
        assertThat(bySize.appliedLocally()).isFalse();
    }

    @Test
    void theSimulatedTimeIsAnInstantOrATimeFromNowOneOfThem() {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        assertThat(LocalLifecycle.instant("2026-12-20T00:00:00Z", null, now)).isEqualTo(Instant.parse("2026-12-20T00:00:00Z"));
        assertThat(LocalLifecycle.instant(null, "9d", now)).isEqualTo(Instant.parse("2026-12-12T10:00:00Z"));
        assertThat(LocalLifecycle.instant(null, "36h", now)).isEqualTo(Instant.parse("2026-12-04T22:00:00Z"));
        assertThat(LocalLifecycle.instant(null, "P1DT1H", now)).isEqualTo(Instant.parse("2026-12-04T11:00:00Z"));
        assertThatThrownBy(() -> LocalLifecycle.instant(null, null, now)).hasMessageContaining("one of them");
        assertThatThrownBy(() -> LocalLifecycle.instant("2026-12-20T00:00:00Z", "9d", now)).hasMessageContaining("one of them");
        assertThatThrownBy(() -> LocalLifecycle.instant("2026-12-20", null, now)).hasMessageContaining("ISO-8601 instant");
        assertThatThrownBy(() -> LocalLifecycle.instant(null, "9 days", now)).hasMessageContaining("after must be");
        assertThatThrownBy(() -> LocalLifecycle.instant(null, "-PT1H", now)).hasMessageContaining("only moves forward");
    }
}
