package dev.mediagate.repair;

import static dev.mediagate.repair.InventoryFixtures.REPORTS_PREFIX;
import static dev.mediagate.repair.InventoryFixtures.manifestOf;
import static dev.mediagate.repair.InventoryFixtures.original;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sweep's decisions, against an in-memory store that counts the S3 calls a run makes. */
class RepairSweepTest {

    private static final Instant NOW = Instant.parse("2026-12-02T17:00:00Z");
    private static final Duration RECONCILE_AFTER = Duration.ofMinutes(60);

    private final FakeStore store = new FakeStore();
    private final List<String> queued = new CopyOnWriteArrayList<>();
    private final ExecutorService heads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopHeads() {
        heads.shutdownNow();
    }

    private RepairSweep sweep(int maxRepairsPerRun) {
        return new RepairSweep(store, (bucket, key) -> queued.add(key), InventoryFixtures.MEDIA_BUCKET, REPORTS_PREFIX,
                RECONCILE_AFTER, maxRepairsPerRun, heads);
    }

    private RepairSweep.Outcome run(RepairSweep sweep) {
        return sweep.run(NOW, () -> false);
    }

    @Test
    void anOriginalWithoutAManifestPastTheThresholdIsQueuedAndOneYoungerIsLeft() {
        Map<String, Instant> originals = new LinkedHashMap<>();
        originals.put(original(0), NOW.minus(Duration.ofMinutes(61)));
        originals.put(original(1), NOW.minus(Duration.ofMinutes(59)));
        store.landed(originals);
        InventoryFixtures.report(NOW.minus(Duration.ofMinutes(5)), originals, store::put);

        RepairSweep.Outcome outcome = run(sweep(100));

        assertThat(queued).containsExactly(original(0));
        assertThat(outcome.state()).isEqualTo("swept");
        assertThat(outcome.repaired()).isEqualTo(1);
        assertThat(store.heads).doesNotContain(manifestOf(original(1)));
    }

    @Test
    void aProcessedFileAndADeletedOneAreNotQueued() {
        Map<String, Instant> originals = new LinkedHashMap<>();
        originals.put(original(0), NOW.minus(Duration.ofHours(3)));
        originals.put(original(1), NOW.minus(Duration.ofHours(3)));
        store.landed(Map.of(original(0), NOW.minus(Duration.ofHours(3))));
        store.media.add(manifestOf(original(0)));
        // original(1) was deleted after the report listed it: neither it nor a manifest exists.
        InventoryFixtures.report(NOW.minus(Duration.ofHours(2)), originals, store::put);

        RepairSweep.Outcome outcome = run(sweep(100));

        assertThat(queued).isEmpty();
        assertThat(outcome.manifestsChecked()).isEqualTo(2);
    }

    @Test
    void aReportIsReadOnceAndARunWithNothingNewCostsOneListAndOneGet() {
        Map<String, Instant> originals = Map.of(original(0), NOW.minus(Duration.ofHours(3)));
        store.landed(originals);
        InventoryFixtures.report(NOW.minus(Duration.ofHours(2)), originals, store::put);
        run(sweep(100));
        store.media.add(manifestOf(original(0)));
        store.calls.set(0);

        RepairSweep.Outcome again = run(sweep(100));

        assertThat(again.state()).isEqualTo("up-to-date");
        assertThat(store.calls.get()).as("LIST of the report folders + GET of the cursor").isEqualTo(2);
        assertThat(queued).containsExactly(original(0));
    }

    @Test
    void onlyOriginalsThatLandedInTheWindowAreCheckedAndOneAReportMissedIsFoundInTheNext() {
        Instant firstScan = NOW.minus(Duration.ofDays(1));
        Map<String, Instant> first = new LinkedHashMap<>();
        first.put(original(0), firstScan.minus(Duration.ofDays(5)));
        first.put(original(1), firstScan.minus(Duration.ofHours(2)));
        store.landed(first);
        store.media.add(manifestOf(original(1)));
        InventoryFixtures.report(firstScan, first, store::put);

        run(sweep(100));

        assertThat(store.heads).as("landed before the window: checked by earlier runs").doesNotContain(manifestOf(original(0)));
        assertThat(store.heads).contains(manifestOf(original(1)));

        // Eventually consistent: the first report did not list original(2), which landed just before its scan.
        Map<String, Instant> second = new LinkedHashMap<>(first);
        second.put(original(2), firstScan.minus(Duration.ofMinutes(10)));
        store.landed(Map.of(original(2), firstScan.minus(Duration.ofMinutes(10))));
        InventoryFixtures.report(NOW.minus(Duration.ofHours(2)), second, store::put);

        RepairSweep.Outcome next = run(sweep(100));

        assertThat(next.state()).isEqualTo("swept");
        assertThat(queued).containsExactly(original(2));
        assertThat(store.heads).doesNotContain(manifestOf(original(0)));
    }

    @Test
    void aRunStopsAtItsBoundAndTheNextOnesGoOnWhereItStopped() {
        Map<String, Instant> originals = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            originals.put(original(i), NOW.minus(Duration.ofHours(3)));
        }
        store.landed(originals);
        InventoryFixtures.report(NOW.minus(Duration.ofHours(2)), originals, store::put);

        assertThat(run(sweep(2)).state()).isEqualTo("bounded");
        assertThat(queued).hasSize(2);
        assertThat(run(sweep(2)).state()).isEqualTo("bounded");
        RepairSweep.Outcome last = run(sweep(2));

        assertThat(last.state()).isEqualTo("swept");
        assertThat(last.repaired()).isEqualTo(1);
        assertThat(queued).hasSize(5).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(originals.keySet());
        assertThat(run(sweep(2)).state()).isEqualTo("up-to-date");
    }

    @Test
    void aRunOutOfTimeRecordsWhereItStoppedAndTheNextGoesOn() {
        Map<String, Instant> originals = new LinkedHashMap<>();
        for (int i = 0; i < RepairSweep.CHUNK + 3; i++) {
            originals.put(original(i), NOW.minus(Duration.ofHours(3)));
        }
        store.landed(originals);
        InventoryFixtures.report(NOW.minus(Duration.ofHours(2)), originals, store::put);
        AtomicInteger asked = new AtomicInteger();
        BooleanSupplier afterOneChunk = () -> asked.getAndIncrement() >= 1;

        RepairSweep.Outcome stopped = sweep(1000).run(NOW, afterOneChunk);
        RepairSweep.Outcome rest = run(sweep(1000));

        assertThat(stopped.state()).isEqualTo("out-of-time");
        assertThat(stopped.repaired()).isEqualTo(Math.min(RepairSweep.CHUNK, originals.size()));
        assertThat(rest.state()).isEqualTo("swept");
        assertThat(queued).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(originals.keySet());
    }

    @Test
    void aReportWhoseManifestIsNotWrittenYetIsNotRead() {
        Map<String, Instant> originals = Map.of(original(0), NOW.minus(Duration.ofHours(3)));
        store.landed(originals);
        String folder = InventoryFixtures.report(NOW.minus(Duration.ofHours(2)), originals, store::put);
        // The folder exists (its checksum is there) but the manifest, which names the data files, is not written yet.
        store.inventory.remove(folder + "manifest.json");
        store.put(folder + "manifest.checksum", "0".repeat(32).getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        RepairSweep.Outcome outcome = run(sweep(100));

        assertThat(outcome.state()).isEqualTo("report-not-complete");
        assertThat(queued).isEmpty();
        assertThat(run(sweep(100)).state()).isEqualTo("report-not-complete");
    }

    @Test
    void withoutAnyReportTheSweepWaits() {
        assertThat(run(sweep(100)).state()).isEqualTo("no-report-yet");
        assertThat(store.inventory).isEmpty();
    }

    /** The inventory bucket's objects and the media bucket's keys, in memory; every call counted. */
    static final class FakeStore implements SweepStore {
        final Map<String, byte[]> inventory = new ConcurrentHashMap<>();
        final Set<String> media = ConcurrentHashMap.newKeySet();
        final List<String> heads = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        void put(String key, byte[] body) {
            inventory.put(key, body);
        }

        void landed(Map<String, Instant> originals) {
            media.addAll(originals.keySet());
        }

        @Override
        public List<String> reportFolders(String reportsPrefix) {
            calls.incrementAndGet();
            Set<String> folders = new HashSet<>();
            for (String key : inventory.keySet()) {
                if (key.startsWith(reportsPrefix)) {
                    String rest = key.substring(reportsPrefix.length());
                    if (rest.contains("/")) {
                        folders.add(reportsPrefix + rest.substring(0, rest.indexOf('/') + 1));
                    }
                }
            }
            return new ArrayList<>(folders);
        }

        @Override
        public Optional<byte[]> read(String key) {
            calls.incrementAndGet();
            return Optional.ofNullable(inventory.get(key));
        }

        @Override
        public InputStream open(String key) {
            calls.incrementAndGet();
            return new ByteArrayInputStream(inventory.get(key));
        }

        @Override
        public void write(String key, byte[] body) {
            calls.incrementAndGet();
            inventory.put(key, body);
        }

        @Override
        public boolean exists(String mediaKey) {
            calls.incrementAndGet();
            heads.add(mediaKey);
            return media.contains(mediaKey);
        }
    }
}
