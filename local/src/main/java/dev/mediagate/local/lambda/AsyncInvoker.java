package dev.mediagate.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.local.DiskSpool;
import dev.mediagate.local.LocalLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lambda's asynchronous invocation, locally: the event is queued, the function runs it, a failure is retried twice
 * (after {@code retryDelay} and twice that, where Lambda waits about one and two minutes), and an event that still fails
 * is written to {@code dlq/} as an on-failure destination would receive it. With a spool, each event is kept on disk
 * from {@code submit} until it is done or dead-lettered, and {@link #resume()} runs again what a killed stack left.
 */
public final class AsyncInvoker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int RETRIES = 2;

    private final FunctionHost functions;
    private final Path deadLetters;
    private final Duration retryDelay;
    private final ScheduledExecutorService executor;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile FailureDestination failureDestination = (functionId, event, error) -> { };
    private final DiskSpool spool;

    /** Where a function's on-failure record goes besides {@code dlq/} (the template's OnFailure destination). */
    @FunctionalInterface
    public interface FailureDestination {
        void send(String functionId, byte[] event, RuntimeException error);
    }

    public void onFailure(FailureDestination destination) {
        this.failureDestination = destination;
    }

    public AsyncInvoker(FunctionHost functions, Path deadLetters, Duration retryDelay, int concurrency) {
        this(functions, deadLetters, retryDelay, concurrency, null);
    }

    /** {@code spool}: where pending events are kept (null: in memory only). */
    public AsyncInvoker(FunctionHost functions, Path deadLetters, Duration retryDelay, int concurrency, DiskSpool spool) {
        this.spool = spool;
        this.functions = functions;
        this.deadLetters = deadLetters;
        this.retryDelay = retryDelay;
        this.executor = Executors.newScheduledThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "async-invoke");
            thread.setDaemon(true);
            return thread;
        });
    }

    public void submit(String functionId, byte[] event) {
        Path kept = spool == null ? null : spool.add(record(functionId, event, 0));
        pending.incrementAndGet();
        executor.execute(() -> attempt(functionId, event, 0, kept));
    }

    /**
     * An event accepted while no stack runs (S3's notification of a write made by a command on the stopped stack's
     * data): kept in {@code spool} as {@link #submit} keeps it, so the next start's {@link #resume()} runs it. In AWS the
     * notification would be on Lambda's asynchronous queue at once; locally it waits for the stack.
     */
    public static void keepForTheNextStart(DiskSpool spool, String functionId, byte[] event) {
        spool.add(record(functionId, event, 0));
    }

    /** Runs again every event a previous run accepted and did not finish, from the attempt it had reached. */
    public void resume() {
        if (spool == null) {
            return;
        }
        spool.load().forEach((file, record) -> {
            pending.incrementAndGet();
            byte[] event = record.path("event").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String functionId = record.path("function").asText();
            int retry = record.path("retry").asInt();
            LocalLog.line("event", functionId + ": an event kept from the last run, attempt " + (retry + 1));
            executor.execute(() -> attempt(functionId, event, retry, file));
        });
    }

    private static ObjectNode record(String functionId, byte[] event, int retry) {
        ObjectNode record = JSON.createObjectNode();
        record.put("function", functionId);
        record.put("retry", retry);
        record.put("event", new String(event, java.nio.charset.StandardCharsets.UTF_8));
        return record;
    }

    /** Events queued or running: tests wait for zero. */
    public int pending() {
        return pending.get();
    }

    private void attempt(String functionId, byte[] event, int retry, Path kept) {
        long started = System.nanoTime();
        try {
            functions.invoke(functionId, event);
            LocalLog.line("event", functionId + " ok in " + (System.nanoTime() - started) / 1_000_000 + " ms" + (retry > 0 ? " (retry " + retry + ")" : ""));
            done(kept);
        } catch (RuntimeException e) {
            if (retry < RETRIES) {
                long delay = retryDelay.toMillis() << retry;
                LocalLog.line("event", functionId + " failed (" + e + "), retry " + (retry + 1) + " in " + delay + " ms");
                if (kept != null) {
                    spool.write(kept, record(functionId, event, retry + 1));
                }
                executor.schedule(() -> attempt(functionId, event, retry + 1, kept), delay, TimeUnit.MILLISECONDS);
            } else {
                Path file = deadLetter(functionId, event, e);
                LocalLog.line("event", functionId + " failed after " + (RETRIES + 1) + " attempts, written to " + file);
                try {
                    failureDestination.send(functionId, event, e);
                } finally {
                    done(kept);
                }
            }
        }
    }

    private void done(Path kept) {
        if (kept != null) {
            spool.remove(kept);
        }
        pending.decrementAndGet();
    }

    private Path deadLetter(String functionId, byte[] event, RuntimeException error) {
        try {
            Files.createDirectories(deadLetters);
            ObjectNode record = JSON.createObjectNode();
            record.put("function", functionId);
            record.put("failedAt", Instant.now().toString());
            record.put("attempts", RETRIES + 1);
            record.put("error", error.toString());
            record.set("event", JSON.readTree(event));
            Path file = deadLetters.resolve(functionId + "-" + Instant.now().toEpochMilli() + "-" + UUID.randomUUID() + ".json");
            Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
