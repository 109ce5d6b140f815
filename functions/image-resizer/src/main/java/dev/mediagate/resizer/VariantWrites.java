package dev.mediagate.resizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The objects a run writes before its manifest (variants, their alternates, a public file's copies), up to
 * {@code inFlight} at a time, all or none: {@link #writeAll} returns only once every one is stored, so the manifest
 * written after it never names a missing object. On a failure no further write starts, the ones in flight finish,
 * everything stored is removed, and the failure is thrown. One in flight writes them one after the other, in order.
 *
 * <p>The writes wait on S3, not on the CPU: each is one PUT of at most a few hundred KB. The default keeps within the
 * JDK's cache of five connections per host (what the functions' URL-connection HTTP client reuses), so a run's writes
 * reuse warm connections instead of opening new ones; the threads are virtual, made per run (none is in a SnapStart
 * snapshot).
 */
final class VariantWrites {

    static final int DEFAULT_IN_FLIGHT = 4;
    static final int MAX_IN_FLIGHT = 32;

    /** One object to store. */
    record Put(String key, String contentType, byte[] bytes) {
    }

    private final MediaBucket bucket;
    private final int inFlight;

    /** {@code VARIANT_WRITES_IN_FLIGHT}: 1 writes one after the other (as before #29), for comparison. */
    static int inFlight(dev.mediagate.core.config.Settings settings) {
        return (int) settings.longInRange("VARIANT_WRITES_IN_FLIGHT", DEFAULT_IN_FLIGHT, 1, MAX_IN_FLIGHT);
    }

    VariantWrites(MediaBucket bucket, int inFlight) {
        if (inFlight < 1 || inFlight > MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("writes in flight must be 1 to " + MAX_IN_FLIGHT + ", not " + inFlight);
        }
        this.bucket = bucket;
        this.inFlight = inFlight;
    }

    int inFlight() {
        return inFlight;
    }

    /** Stores every put; {@code written} gets each key stored (also those removed again after a failure). */
    void writeAll(List<Put> puts, List<String> written) {
        if (inFlight == 1 || puts.size() <= 1) {
            writeInOrder(puts, written);
        } else {
            writeConcurrently(puts, written);
        }
    }

    private void writeInOrder(List<Put> puts, List<String> written) {
        List<String> stored = new ArrayList<>();
        try {
            for (Put put : puts) {
                bucket.putVariant(put.key(), put.contentType(), put.bytes());
                stored.add(put.key());
                written.add(put.key());
            }
        } catch (RuntimeException e) {
            bucket.rollBack(stored, e);
            throw e;
        }
    }

    private void writeConcurrently(List<Put> puts, List<String> written) {
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService writers = Executors.newFixedThreadPool(Math.min(inFlight, puts.size()),
                Thread.ofVirtual().name("variant-write-", 0).factory())) {
            for (Put put : puts) {
                futures.add(writers.submit(() -> {
                    if (failed.get()) {
                        return;
                    }
                    try {
                        bucket.putVariant(put.key(), put.contentType(), put.bytes());
                        stored.add(put.key());
                    } catch (Throwable e) {
                        failed.set(true);
                        throw e;
                    }
                }));
            }
        } // close() waits for every write: none can land after the removal below, nor after the manifest.
        written.addAll(stored);
        RuntimeException failure = null;
        for (Future<?> future : futures) {
            Throwable cause = causeOf(future);
            if (cause instanceof Error error) {
                // As in one thread: an Error (the runtime stopping) goes up as it is, nothing more is attempted.
                throw error;
            }
            if (cause instanceof RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            bucket.rollBack(List.copyOf(stored), failure);
            throw failure;
        }
    }

    /** A finished write's failure; null when it stored its object or never started. */
    private static Throwable causeOf(Future<?> future) {
        try {
            future.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while collecting finished writes", e);
        }
    }
}
