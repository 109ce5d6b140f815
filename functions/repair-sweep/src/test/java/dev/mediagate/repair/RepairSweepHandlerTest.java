package dev.mediagate.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.metrics.Metrics;
import dev.mediagate.local.sqs.SqsSendMessage;
import dev.mediagate.testing.LocalS3;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code events/scheduled-repair-sweep.json} (an EventBridge rule's Scheduled Event) through the real handler, against
 * S3Proxy (the inventory bucket holding a report as S3 writes it) and the SQS stand-in the resizer's queue URL names.
 */
class RepairSweepHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INVENTORY_BUCKET = LocalS3.BUCKET + "-inventory";
    private static final String QUEUE_URL = "http://127.0.0.1/000000000000/mediagate-dev-ResizerQueue";

    @Test
    void theScheduledEventQueuesTheOriginalThatHasNoManifestAnHourAfterItLandedAndOnlyIt() throws Exception {
        LocalS3 s3 = LocalS3.shared();
        SqsSendMessage sqs = SqsSendMessage.shared();
        S3Client client = s3.client();
        client.createBucket(b -> b.bucket(INVENTORY_BUCKET));
        Map<String, Object> event = JSON.readValue(Files.readString(eventsDir().resolve("scheduled-repair-sweep.json")),
                new TypeReference<Map<String, Object>>() { });
        Instant fired = Instant.parse(String.valueOf(event.get("time")));
        String lost = InventoryFixtures.original(0);
        String processed = InventoryFixtures.original(1);
        String young = InventoryFixtures.original(2);
        Map<String, Instant> originals = new LinkedHashMap<>();
        originals.put(lost, fired.minus(Duration.ofHours(3)));
        originals.put(processed, fired.minus(Duration.ofHours(3)));
        originals.put(young, fired.minus(Duration.ofMinutes(30)));
        for (String key : originals.keySet()) {
            client.putObject(p -> p.bucket(LocalS3.BUCKET).key(key).contentType("image/jpeg"), RequestBody.fromString("jpeg"));
        }
        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(InventoryFixtures.manifestOf(processed)), RequestBody.fromString("{}"));
        InventoryFixtures.report(fired.minus(Duration.ofMinutes(10)), originals,
                (key, body) -> client.putObject(p -> p.bucket(INVENTORY_BUCKET).key(key), RequestBody.fromBytes(body)));
        int before = sqs.sent().size();

        Map<String, Object> answer = new RepairSweepHandler(settings(Map.of())).handleRequest(event, null);

        assertThat(answer).containsEntry("state", "swept").containsEntry("repaired", 1L);
        assertThat(sqs.sent().subList(before, sqs.sent().size())).singleElement().satisfies(message -> {
            assertThat(message.queueUrl()).isEqualTo(QUEUE_URL);
            JsonNode record = JSON.readTree(message.body()).path("Records").path(0);
            assertThat(record.path("eventSource").asText()).isEqualTo("mediagate:repair");
            assertThat(record.at("/s3/bucket/name").asText()).isEqualTo(LocalS3.BUCKET);
            assertThat(URLDecoder.decode(record.at("/s3/object/key").asText(), StandardCharsets.UTF_8)).isEqualTo(lost);
        });
        assertThat(new String(client.getObjectAsBytes(g -> g.bucket(INVENTORY_BUCKET).key(RepairSweep.CURSOR_KEY)).asByteArray(),
                StandardCharsets.UTF_8)).contains("manifest.json").doesNotContain("resumeAfter");
    }

    @Test
    void eachRunCountsTheFilesItRepairedAsAMetric() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T17:00:00Z"), ZoneOffset.UTC);
        RepairSweepTest.FakeStore store = new RepairSweepTest.FakeStore();
        Map<String, Instant> originals = Map.of(InventoryFixtures.original(3), clock.instant().minus(Duration.ofHours(2)),
                InventoryFixtures.original(4), clock.instant().minus(Duration.ofHours(2)));
        store.landed(originals);
        store.media.add(InventoryFixtures.manifestOf(InventoryFixtures.original(4)));
        InventoryFixtures.report(clock.instant().minus(Duration.ofMinutes(90)), originals, store::put);
        RepairSweep sweep = new RepairSweep(store, (bucket, key) -> { }, LocalS3.BUCKET, InventoryFixtures.REPORTS_PREFIX,
                Duration.ofMinutes(60), 10, Executors.newSingleThreadExecutor());

        new RepairSweepHandler(sweep, new Metrics("repair-sweep", new PrintStream(out, true, StandardCharsets.UTF_8), clock), clock)
                .handleRequest(Map.of(), null);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"FilesRepaired\":1.0").contains("\"ManifestsChecked\":2.0")
                .contains("\"Function\":\"repair-sweep\"");
    }

    @Test
    void aReconcileDelayOutsideItsBoundsStopsTheInitNamingTheVariable() {
        LocalS3.shared();
        SqsSendMessage.shared();
        assertThatThrownBy(() -> new RepairSweepHandler(settings(Map.of("RECONCILE_AFTER_MINUTES", "5"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("RECONCILE_AFTER_MINUTES")
                .hasMessageContaining("between 30 and 10080");
        assertThatThrownBy(() -> new RepairSweepHandler(settings(Map.of("RECONCILE_AFTER_MINUTES", "an hour"))))
                .hasMessageContaining("RECONCILE_AFTER_MINUTES");
        assertThatThrownBy(() -> new RepairSweepHandler(settings(Map.of("INVENTORY_REPORTS_PREFIX", "inventory"))))
                .hasMessageContaining("INVENTORY_REPORTS_PREFIX");
    }

    /** The message the sweep sends is, byte for byte, the one the resizer's test replays (events/sqs-repair-no-manifest.json). */
    @Test
    void theRepairMessageIsTheOneTheResizersFixtureHolds() throws Exception {
        JsonNode fixture = JSON.readTree(Files.readString(eventsDir().resolve("sqs-repair-no-manifest.json")));
        Clock at = Clock.fixed(Instant.parse("2026-12-02T17:00:02.114Z"), ZoneOffset.UTC);

        String body = SqsRepairQueue.body(LocalS3.BUCKET, "originals/ksbadydqkpcosn4zkgtwasmyjuchops2/0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d", at);

        assertThat(body).isEqualTo(fixture.path("Records").path(0).path("body").asText());
    }

    @Test
    void aTimeThatIsNoInstantIsRefused() {
        assertThatThrownBy(() -> RepairSweepHandler.scheduledTime(Map.of("time", "yesterday")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO-8601");
        assertThat(RepairSweepHandler.scheduledTime(Map.of())).isEmpty();
    }

    /** The function's environment as template.yaml gives it, plus overrides; the rest from the test JVM's S3 and SQS stand-ins. */
    private static Settings settings(Map<String, String> overrides) {
        Map<String, String> environment = new HashMap<>();
        environment.put("MEDIA_BUCKET", LocalS3.BUCKET);
        environment.put("INVENTORY_BUCKET", INVENTORY_BUCKET);
        environment.put("INVENTORY_REPORTS_PREFIX", InventoryFixtures.REPORTS_PREFIX);
        environment.put("RESIZER_QUEUE_URL", QUEUE_URL);
        environment.put("RECONCILE_AFTER_MINUTES", "60");
        environment.putAll(overrides);
        return new Settings(name -> environment.containsKey(name) ? environment.get(name) : System.getProperty(name));
    }

    private static Path eventsDir() {
        return Path.of(System.getProperty("mediagate.events.dir", "../../events"));
    }
}
