package dev.mediagate.repair;

import dev.mediagate.core.files.MediaKeys;
import java.io.InputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * One run of the repair sweep. The list of originals is the newest daily S3 Inventory report of {@code originals/}
 * (template.yaml's {@code InventoryConfigurations}), never a listing of the bucket: a report is read once (a GET of its
 * manifest, then its gzipped CSV files), and only the originals that landed in the run's <em>window</em> have their
 * manifest checked, by a HEAD, which is strongly consistent where the report is not.
 *
 * <p>The window runs from where the previous report's window ended, minus {@link #OVERLAP}, to the report's scan start or
 * {@code RECONCILE_AFTER_MINUTES} ago, whichever is earlier. The overlap is there because an inventory list is
 * eventually consistent: it may miss objects added shortly before it was made (S3 User Guide, "Cataloging and analyzing
 * your data with S3 Inventory", on inventory consistency): an original one report missed appears in the next one with
 * its own, older, landing time. Each original thus gets its manifest checked about three times, never before it is
 * {@code RECONCILE_AFTER_MINUTES} old.
 *
 * <p>An original without a manifest (and still there) is queued for the resizer again; the resizer skips a file whose
 * manifest appeared meanwhile, so a repair is idempotent. A run queues at most {@code maxRepairsPerRun} (a mass failure
 * must not flood the resizer's queue at once) and stops in time before Lambda's timeout; either way it records the last
 * original it handled and the next run goes on from there, in key order.
 */
final class RepairSweep {

    /** How far back each report's window reaches into the previous one's: inventory may miss objects for a day or two. */
    static final Duration OVERLAP = Duration.ofHours(48);
    /** The sweep's own state, beside the reports it reads. */
    static final String CURSOR_KEY = "repair/cursor.json";
    /** Originals checked at once: HEADs in parallel, in key order between chunks, so a stopped run can resume. */
    static final int CHUNK = 64;
    /** {@code YYYY-MM-DDTHH-MMZ/}: a report's folder (the others under the prefix are {@code data/} and {@code hive/}). */
    private static final Pattern REPORT_FOLDER = Pattern.compile("(.*/)?\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}Z/");

    /** What a run did; {@code state} says why it ended. */
    record Outcome(String state, String report, long originalsInWindow, long manifestsChecked, long repaired) {
    }

    private final SweepStore store;
    private final RepairQueue queue;
    private final String mediaBucket;
    private final String reportsPrefix;
    private final Duration reconcileAfter;
    private final int maxRepairsPerRun;
    private final ExecutorService heads;

    RepairSweep(SweepStore store, RepairQueue queue, String mediaBucket, String reportsPrefix, Duration reconcileAfter,
            int maxRepairsPerRun, ExecutorService heads) {
        this.store = store;
        this.queue = queue;
        this.mediaBucket = mediaBucket;
        this.reportsPrefix = reportsPrefix;
        this.reconcileAfter = reconcileAfter;
        this.maxRepairsPerRun = maxRepairsPerRun;
        this.heads = heads;
    }

    Outcome run(Instant now, BooleanSupplier outOfTime) {
        Optional<String> newest = store.reportFolders(reportsPrefix).stream().filter(f -> REPORT_FOLDER.matcher(f).matches())
                .max(Comparator.naturalOrder());
        if (newest.isEmpty()) {
            return new Outcome("no-report-yet", null, 0, 0, 0);
        }
        String report = newest.get() + "manifest.json";
        Optional<SweepCursor> cursor = store.read(CURSOR_KEY).flatMap(SweepCursor::parse);
        if (cursor.isPresent() && cursor.get().finished(report)) {
            return new Outcome("up-to-date", report, 0, 0, 0);
        }
        // S3 writes a report's manifest after its data files: without it the report is not complete yet.
        Optional<byte[]> manifest = store.read(report);
        if (manifest.isEmpty()) {
            return new Outcome("report-not-complete", report, 0, 0, 0);
        }
        InventoryReport inventory = InventoryReport.parseManifest(manifest.get());
        SweepCursor window;
        if (cursor.isPresent() && cursor.get().report().equals(report)) {
            window = cursor.get();
        } else {
            Instant end = min(inventory.scanStartedAt(), now.minus(reconcileAfter));
            Instant start = cursor.map(c -> c.windowEnd()).orElse(inventory.scanStartedAt()).minus(OVERLAP);
            window = new SweepCursor(report, start, end, null);
        }
        NavigableSet<String> due = originalsInWindow(inventory, window);
        long checked = 0;
        long repaired = 0;
        String lastHandled = null;
        List<String> keys = new ArrayList<>(due);
        for (int from = 0; from < keys.size(); from += CHUNK) {
            if (outOfTime.getAsBoolean()) {
                store.write(CURSOR_KEY, new SweepCursor(report, window.windowStart(), window.windowEnd(), lastHandled == null
                        ? window.resumeAfter() : lastHandled).toJson());
                return new Outcome("out-of-time", report, due.size(), checked, repaired);
            }
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
            List<Boolean> unprocessed = unprocessed(chunk);
            checked += chunk.size();
            for (int i = 0; i < chunk.size(); i++) {
                if (unprocessed.get(i)) {
                    queue.send(mediaBucket, chunk.get(i));
                    repaired++;
                }
                lastHandled = chunk.get(i);
                if (repaired == maxRepairsPerRun && !lastHandled.equals(keys.getLast())) {
                    store.write(CURSOR_KEY, new SweepCursor(report, window.windowStart(), window.windowEnd(), lastHandled).toJson());
                    return new Outcome("bounded", report, due.size(), checked, repaired);
                }
            }
        }
        store.write(CURSOR_KEY, new SweepCursor(report, window.windowStart(), window.windowEnd(), null).toJson());
        return new Outcome("swept", report, due.size(), checked, repaired);
    }

    /** The originals of the report that landed within the window (and after the key a bounded run stopped at), sorted. */
    private NavigableSet<String> originalsInWindow(InventoryReport inventory, SweepCursor window) {
        NavigableSet<String> due = new TreeSet<>();
        for (InventoryReport.DataFile file : inventory.files()) {
            try (InputStream data = store.open(file.key())) {
                inventory.rows(data, row -> {
                    if (row.lastModified().isAfter(window.windowStart()) && !row.lastModified().isAfter(window.windowEnd())
                            && MediaKeys.parseOriginal(row.key()).isPresent()
                            && (window.resumeAfter() == null || row.key().compareTo(window.resumeAfter()) > 0)) {
                        due.add(row.key());
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return due;
    }

    /**
     * For each original, whether it still needs processing: no manifest, and the original still there (a file deleted
     * after the report has neither). HEADs in parallel; the original's only when its manifest is missing, which is rare.
     */
    private List<Boolean> unprocessed(List<String> originals) {
        List<Future<Boolean>> answers = new ArrayList<>();
        for (String original : originals) {
            answers.add(heads.submit(() -> {
                MediaKeys.OriginalKey file = MediaKeys.parseOriginal(original).orElseThrow();
                return !store.exists(MediaKeys.manifest(file.owner(), file.fileId())) && store.exists(original);
            }));
        }
        List<Boolean> unprocessed = new ArrayList<>();
        for (Future<Boolean> answer : answers) {
            try {
                unprocessed.add(answer.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking manifests", e);
            }
        }
        return unprocessed;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
