package dev.mediagate.local.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.local.DiskSpool;
import dev.mediagate.local.LocalLog;
import dev.mediagate.local.lambda.FunctionHost;
import dev.mediagate.local.sam.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * The webhook queue, locally: each event becomes an SQS message for the real WebhookDeliveryFunction; a message it
 * reports as failed comes back after 1, 2, 4, 8 and 16 seconds (in AWS: the function's own backoff, over a day), then is
 * written to {@code webhook-dlq/} as the dead-letter queue would keep it. With a spool, each message is kept on disk
 * until it is delivered or dead-lettered, and {@link #resume()} delivers what a killed stack left.
 */
public final class LocalWebhookQueue implements AutoCloseable {

    public static final int MAX_RECEIVES = 6;
    public static final String FUNCTION = "WebhookDeliveryFunction";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionHost functions;
    private final Path deadLetters;
    private final Duration firstDelay;
    private final String queueArn;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "webhook-queue");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger pending = new AtomicInteger();
    private final DiskSpool spool;

    public LocalWebhookQueue(FunctionHost functions, Path deadLetters, Duration firstDelay, String queueArn) {
        this(functions, deadLetters, firstDelay, queueArn, null);
    }

    /** {@code spool}: where undelivered messages are kept (null: in memory only). */
    public LocalWebhookQueue(FunctionHost functions, Path deadLetters, Duration firstDelay, String queueArn, DiskSpool spool) {
        this.spool = spool;
        this.functions = functions;
        this.deadLetters = deadLetters;
        this.firstDelay = firstDelay;
        this.queueArn = queueArn;
    }

    public void send(String body) {
        String messageId = UUID.randomUUID().toString();
        Path kept = spool == null ? null : spool.add(record(messageId, body, 1));
        pending.incrementAndGet();
        executor.execute(() -> receive(messageId, body, 1, kept));
    }

    /** Delivers again every message a previous run accepted and did not deliver or dead-letter. */
    public void resume() {
        if (spool == null) {
            return;
        }
        spool.load().forEach((file, record) -> {
            pending.incrementAndGet();
            executor.execute(() -> receive(record.path("messageId").asText(), record.path("body").asText(),
                    record.path("receiveCount").asInt(1), file));
        });
    }

    private static ObjectNode record(String messageId, String body, int receiveCount) {
        ObjectNode record = JSON.createObjectNode();
        record.put("messageId", messageId);
        record.put("body", body);
        record.put("receiveCount", receiveCount);
        return record;
    }

    private void done(Path kept) {
        if (kept != null) {
            spool.remove(kept);
        }
        pending.decrementAndGet();
    }

    /** Messages not yet delivered or dead-lettered: tests wait for zero. */
    public int pending() {
        return pending.get();
    }

    private void receive(String messageId, String body, int receiveCount, Path kept) {
        boolean delivered;
        try {
            JsonNode response = JSON.readTree(functions.invoke(FUNCTION, sqsEvent(messageId, body, receiveCount)));
            delivered = response.path("batchItemFailures").isEmpty();
        } catch (IOException | RuntimeException e) {
            LocalLog.line("webhook", "delivery function failed: " + e);
            delivered = false;
        }
        if (delivered) {
            done(kept);
        } else if (receiveCount < MAX_RECEIVES) {
            long delay = firstDelay.toMillis() << (receiveCount - 1);
            LocalLog.line("webhook", "not delivered, attempt " + (receiveCount + 1) + " in " + delay + " ms");
            if (kept != null) {
                spool.write(kept, record(messageId, body, receiveCount + 1));
            }
            executor.schedule(() -> receive(messageId, body, receiveCount + 1, kept), delay, TimeUnit.MILLISECONDS);
        } else {
            LocalLog.line("webhook", "not delivered after " + MAX_RECEIVES + " attempts, written to " + deadLetter(messageId, body));
            done(kept);
        }
    }

    private byte[] sqsEvent(String messageId, String body, int receiveCount) throws IOException {
        ObjectNode record = JSON.createObjectNode();
        record.put("messageId", messageId);
        record.put("receiptHandle", messageId + "#" + receiveCount);
        record.put("body", body);
        ObjectNode attributes = record.putObject("attributes");
        attributes.put("ApproximateReceiveCount", String.valueOf(receiveCount));
        attributes.put("SentTimestamp", String.valueOf(Instant.now().toEpochMilli()));
        record.putObject("messageAttributes");
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", queueArn);
        record.put("awsRegion", SamTemplate.LOCAL_REGION);
        ObjectNode event = JSON.createObjectNode();
        event.putArray("Records").add(record);
        return JSON.writeValueAsBytes(event);
    }

    private Path deadLetter(String messageId, String body) {
        try {
            Files.createDirectories(deadLetters);
            Path file = deadLetters.resolve(Instant.now().toEpochMilli() + "-" + messageId + ".json");
            Files.writeString(file, body, StandardCharsets.UTF_8);
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
