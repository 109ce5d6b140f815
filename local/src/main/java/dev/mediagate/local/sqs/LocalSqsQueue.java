package dev.mediagate.local.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.local.LocalLog;
import dev.mediagate.local.lambda.FunctionHost;
import dev.mediagate.local.sam.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An SQS standard queue with a Lambda event source mapping, locally, kept on disk so that a stack killed at any moment
 * (kill -9 included) loses no message: each message is a file under {@code DIR/queues/{queue}/}, written before
 * {@code send} returns and deleted only once the function reported it done. As SQS and Lambda do it: at most
 * {@code MaximumConcurrency} batches in flight, each message's receive count kept (and counted before the function
 * runs, so a receive interrupted by a crash counts), a message the function reported in {@code batchItemFailures} (or a
 * failed invocation's whole batch) visible again after the visibility timeout, and a message received
 * {@code maxReceiveCount} times moved to the dead-letter queue, here {@code DIR/dlq/}, on its next receive.
 *
 * <p>Locally the visibility timeout is the stack's retry delay (the template's 360 s would stall a test for minutes),
 * and after a restart every kept message is visible at once: the consumer that had it in flight died with the JVM.
 */
public final class LocalSqsQueue implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The queue and its consumer as template.yaml declares them. */
    public record Config(String queueId, String functionId, int batchSize, int maximumConcurrency, int maxReceiveCount) {

        /**
         * The queue's redrive policy and the function whose SQS event reads it: its batch size (SQS's default 10), its
         * {@code ScalingConfig.MaximumConcurrency} (uncapped: {@code uncapped} pollers, the local stand-in for Lambda's
         * scaling).
         */
        public static Config from(SamTemplate template, String queueId, int uncapped) {
            Map<String, Object> redrive = SamTemplate.map(template.evaluate(template.properties(queueId).get("RedrivePolicy")));
            int maxReceiveCount = redrive.containsKey("maxReceiveCount")
                    ? Integer.parseInt(String.valueOf(redrive.get("maxReceiveCount"))) : Integer.MAX_VALUE;
            for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
                if (!template.exists(function)) {
                    continue;
                }
                for (Object value : SamTemplate.map(template.properties(function).get("Events")).values()) {
                    Map<String, Object> event = SamTemplate.map(value);
                    Map<String, Object> properties = SamTemplate.map(template.evaluate(event.get("Properties")));
                    if ("SQS".equals(event.get("Type")) && ("${" + queueId + ".Arn}").equals(String.valueOf(properties.get("Queue")))) {
                        int batchSize = properties.containsKey("BatchSize") ? Integer.parseInt(String.valueOf(properties.get("BatchSize"))) : 10;
                        Object cap = SamTemplate.map(properties.get("ScalingConfig")).get("MaximumConcurrency");
                        return new Config(queueId, function, batchSize, cap == null ? uncapped : Integer.parseInt(String.valueOf(cap)),
                                maxReceiveCount);
                    }
                }
            }
            throw new IllegalArgumentException("no function of template.yaml reads the queue " + queueId);
        }
    }

    private record Message(String id, Path file, String body, long sentTimestamp, int receiveCount, long visibleAt) {
        Message received(long invisibleUntil) {
            return new Message(id, file, body, sentTimestamp, receiveCount + 1, invisibleUntil);
        }

        Message visibleAt(long at) {
            return new Message(id, file, body, sentTimestamp, receiveCount, at);
        }
    }

    private final Config config;
    private final FunctionHost functions;
    private final Path directory;
    private final Path deadLetters;
    private final Duration visibilityTimeout;
    private final String queueArn;
    private final Map<String, Message> messages = new LinkedHashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);
    private final List<Thread> pollers = new ArrayList<>();
    private volatile boolean closed;
    private boolean created;

    /** Loads what a previous run left in {@code directory}; {@link #start()} begins polling. */
    public LocalSqsQueue(Config config, FunctionHost functions, Path directory, Path deadLetters, Duration visibilityTimeout) {
        this.config = config;
        this.functions = functions;
        this.directory = directory;
        this.deadLetters = deadLetters;
        this.visibilityTimeout = visibilityTimeout;
        this.queueArn = "arn:aws:sqs:" + SamTemplate.LOCAL_REGION + ":" + SamTemplate.LOCAL_ACCOUNT_ID + ":mediagate-local-" + config.queueId();
        try {
            boolean firstStart = !Files.isDirectory(directory);
            Files.createDirectories(directory);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                    JsonNode stored = JSON.readTree(file.toFile());
                    Message message = new Message(stored.path("messageId").asText(), file, stored.path("body").asText(),
                            stored.path("sentTimestamp").asLong(), stored.path("receiveCount").asInt(), 0);
                    messages.put(message.id(), message);
                }
            }
            if (!messages.isEmpty()) {
                LocalLog.line("sqs", config.queueId() + ": " + messages.size() + " message(s) kept from the last run");
            }
            this.created = firstStart;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * For a queue S3 notifies: S3 sends {@code s3:TestEvent} once, when the bucket's notification to the queue is set
     * up (here: when the queue's directory is first made), and the consumer must cope with it.
     */
    public void sendS3TestEventIfNew(String bucket) {
        if (created) {
            try {
                send(JSON.writeValueAsString(Map.of("Service", "Amazon S3", "Event", "s3:TestEvent",
                        "Time", Instant.now().toString(), "Bucket", bucket, "RequestId", "LOCAL", "HostId", "LOCAL")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            created = false;
        }
    }

    public void start() {
        int concurrency = Math.max(1, config.maximumConcurrency());
        for (int i = 0; i < concurrency; i++) {
            Thread poller = new Thread(this::poll, "sqs-" + config.queueId() + "-" + i);
            poller.setDaemon(true);
            pollers.add(poller);
            poller.start();
        }
    }

    public Config config() {
        return config;
    }

    /** SendMessage: on disk before it returns. */
    public void send(String body) {
        String id = UUID.randomUUID().toString();
        Path file = directory.resolve(String.format("%020d-%s.json", sequence.incrementAndGet(), id));
        Message message = new Message(id, file, body, System.currentTimeMillis(), 0, 0);
        write(message);
        synchronized (messages) {
            messages.put(id, message);
            messages.notifyAll();
        }
    }

    /** Messages not yet deleted (waiting, in flight or waiting for their visibility timeout): tests wait for zero. */
    public int pending() {
        synchronized (messages) {
            return messages.size();
        }
    }

    private void poll() {
        while (!closed) {
            List<Message> batch;
            try {
                batch = receive();
            } catch (InterruptedException e) {
                return;
            }
            if (!batch.isEmpty()) {
                deliver(batch);
            }
        }
    }

    /** ReceiveMessage with long polling: waits for a visible message, moves over-received ones to the dead-letter queue. */
    private List<Message> receive() throws InterruptedException {
        synchronized (messages) {
            while (true) {
                long now = System.currentTimeMillis();
                long nextVisible = Long.MAX_VALUE;
                List<Message> batch = new ArrayList<>();
                for (Message message : List.copyOf(messages.values())) {
                    if (inFlight.contains(message.id())) {
                        continue;
                    }
                    if (message.visibleAt() > now) {
                        nextVisible = Math.min(nextVisible, message.visibleAt());
                        continue;
                    }
                    if (message.receiveCount() >= config.maxReceiveCount()) {
                        deadLetter(message);
                        continue;
                    }
                    Message received = message.received(Long.MAX_VALUE);
                    write(received);
                    messages.put(received.id(), received);
                    inFlight.add(received.id());
                    batch.add(received);
                    if (batch.size() == config.batchSize()) {
                        break;
                    }
                }
                if (!batch.isEmpty()) {
                    return batch;
                }
                if (closed) {
                    throw new InterruptedException();
                }
                messages.wait(nextVisible == Long.MAX_VALUE ? 1000 : Math.max(1, Math.min(1000, nextVisible - now)));
            }
        }
    }

    private void deliver(List<Message> batch) {
        Set<String> failed = new HashSet<>();
        long started = System.nanoTime();
        try {
            JsonNode response = JSON.readTree(functions.invoke(config.functionId(), event(batch)));
            response.path("batchItemFailures").forEach(failure -> failed.add(failure.path("itemIdentifier").asText()));
        } catch (IOException | RuntimeException e) {
            // The invocation failed as a whole (an error, a crash, a timeout): every message of the batch comes back.
            LocalLog.line("sqs", config.functionId() + " failed (" + e.getMessage() + "): the batch comes back after the visibility timeout");
            batch.forEach(message -> failed.add(message.id()));
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        synchronized (messages) {
            for (Message message : batch) {
                inFlight.remove(message.id());
                if (failed.contains(message.id())) {
                    Message again = messages.get(message.id()).visibleAt(System.currentTimeMillis() + visibilityTimeout.toMillis());
                    messages.put(again.id(), again);
                    LocalLog.line("sqs", config.functionId() + " reported message " + message.id() + " failed (receive "
                            + message.receiveCount() + " of " + config.maxReceiveCount() + "), visible again in "
                            + visibilityTimeout.toMillis() + " ms");
                } else {
                    delete(message);
                }
            }
            messages.notifyAll();
        }
        if (failed.isEmpty()) {
            LocalLog.line("sqs", config.functionId() + " ok in " + tookMs + " ms (" + batch.size() + " message(s))");
        }
    }

    private void delete(Message message) {
        messages.remove(message.id());
        try {
            Files.deleteIfExists(message.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SQS's {@code StartMessageMoveTask} without a destination, locally: every dead letter this queue moved to
     * {@code DIR/dlq/} is sent to it again (a new message, received from its first attempt), then its record removed.
     * Returns how many moved.
     */
    public int redriveDeadLetters() {
        if (!Files.isDirectory(deadLetters)) {
            return 0;
        }
        String mine = config.functionId() + "-" + config.queueId() + "-";
        int moved = 0;
        try (Stream<Path> files = Files.list(deadLetters)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(mine) && f.toString().endsWith(".json"))
                    .sorted().toList()) {
                send(JSON.readTree(file.toFile()).path("body").asText());
                Files.delete(file);
                moved++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (moved > 0) {
            LocalLog.line("sqs", config.queueId() + ": " + moved + " dead letter(s) redriven from " + deadLetters);
        }
        return moved;
    }

    /** SQS's redrive: the message, its attributes and body, kept in {@code DIR/dlq/} for an operator. */
    private void deadLetter(Message message) {
        try {
            Files.createDirectories(deadLetters);
            ObjectNode record = JSON.createObjectNode();
            record.put("queue", config.queueId());
            record.put("function", config.functionId());
            record.put("failedAt", Instant.now().toString());
            record.put("messageId", message.id());
            record.put("receiveCount", message.receiveCount());
            record.put("body", message.body());
            Path file = deadLetters.resolve(config.functionId() + "-" + config.queueId() + "-" + Instant.now().toEpochMilli() + "-" + message.id() + ".json");
            Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
            LocalLog.line("sqs", config.queueId() + ": message " + message.id() + " received " + message.receiveCount()
                    + " times, moved to " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        delete(message);
    }

    /** Written whole or not at all: a kill mid-write leaves the previous version (or nothing) behind. */
    private void write(Message message) {
        ObjectNode stored = JSON.createObjectNode();
        stored.put("messageId", message.id());
        stored.put("body", message.body());
        stored.put("sentTimestamp", message.sentTimestamp());
        stored.put("receiveCount", message.receiveCount());
        try {
            Path temporary = message.file().resolveSibling(message.file().getFileName() + ".tmp");
            Files.write(temporary, JSON.writeValueAsBytes(stored));
            Files.move(temporary, message.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event Lambda's SQS poller invokes the function with (the shape of events/sqs-s3-object-created.json). */
    private byte[] event(List<Message> batch) throws IOException {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : batch) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.id());
            record.put("receiptHandle", message.id() + "#" + message.receiveCount());
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            attributes.put("ApproximateReceiveCount", String.valueOf(message.receiveCount()));
            attributes.put("SentTimestamp", String.valueOf(message.sentTimestamp()));
            attributes.put("SenderId", "LOCAL");
            attributes.put("ApproximateFirstReceiveTimestamp", String.valueOf(message.sentTimestamp()));
            record.putObject("messageAttributes");
            record.put("md5OfBody", md5(message.body()));
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", SamTemplate.LOCAL_REGION);
        }
        return JSON.writeValueAsBytes(event);
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (messages) {
            messages.notifyAll();
        }
        pollers.forEach(Thread::interrupt);
    }
}
