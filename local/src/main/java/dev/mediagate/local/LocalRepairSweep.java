package dev.mediagate.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.local.lambda.FunctionHost;
import dev.mediagate.local.s3.LocalInventory;
import dev.mediagate.local.sam.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * RepairSweepFunction, locally: on the schedule template.yaml gives it (an EventBridge rule's {@code rate(…)}), and on
 * demand ({@code POST /_local/repair}, or {@code java -jar mediagate-local.jar repair}), S3 Inventory's report of the
 * local bucket is written first (in AWS it comes once a day; here each run gets a fresh one, so a lost upload is
 * repaired on the first run after it is {@code RECONCILE_AFTER_MINUTES} old), then the function's handler gets the
 * same Scheduled Event EventBridge sends. Its repairs go to the resizer's local queue, so they end as uploads do.
 */
public final class LocalRepairSweep implements AutoCloseable {

    public static final String FUNCTION = "RepairSweepFunction";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    private final FunctionHost functions;
    private final LocalInventory inventory;
    private final S3Client s3;
    private final Optional<Duration> every;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("repair-sweep-schedule").factory());

    LocalRepairSweep(SamTemplate template, FunctionHost functions, LocalInventory inventory, S3Client s3) {
        this.functions = functions;
        this.inventory = inventory;
        this.s3 = s3;
        this.every = rate(template);
    }

    /** The rule's rate; a cron expression is not run on a schedule locally (the command runs it). */
    static Optional<Duration> rate(SamTemplate template) {
        for (Object value : SamTemplate.map(template.properties(FUNCTION).get("Events")).values()) {
            Map<String, Object> event = SamTemplate.map(value);
            if ("Schedule".equals(event.get("Type"))) {
                String expression = template.resolve(SamTemplate.map(event.get("Properties")).get("Schedule"));
                Matcher rate = RATE.matcher(expression);
                if (rate.matches()) {
                    ChronoUnit unit = switch (rate.group(2)) {
                        case "minute", "minutes" -> ChronoUnit.MINUTES;
                        case "hour", "hours" -> ChronoUnit.HOURS;
                        default -> ChronoUnit.DAYS;
                    };
                    return Optional.of(Duration.of(Long.parseLong(rate.group(1)), unit));
                }
                LocalLog.line("repair", "the sweep's schedule " + expression + " is not a rate(…): it runs on demand only");
            }
        }
        return Optional.empty();
    }

    /** The first run one period after the start, as a rule created now first fires. */
    void start() {
        every.ifPresent(period -> schedule.scheduleAtFixedRate(() -> {
            try {
                LocalLog.line("repair", runNow());
            } catch (RuntimeException e) {
                LocalLog.line("repair", "the scheduled sweep failed: " + e.getMessage());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** One run now: a fresh inventory report, then the handler with a Scheduled Event; returns what it returned. */
    public synchronized String runNow() {
        Instant now = Instant.now();
        inventory.deliver(s3, now);
        return new String(functions.invoke(FUNCTION, scheduledEvent(now)), StandardCharsets.UTF_8);
    }

    /** EventBridge's Scheduled Event, as {@code events/scheduled-repair-sweep.json} holds it. */
    static byte[] scheduledEvent(Instant now) {
        ObjectNode event = JSON.createObjectNode().put("version", "0").put("id", UUID.randomUUID().toString())
                .put("detail-type", "Scheduled Event").put("source", "aws.events").put("account", SamTemplate.LOCAL_ACCOUNT_ID)
                .put("time", now.truncatedTo(ChronoUnit.SECONDS).toString()).put("region", SamTemplate.LOCAL_REGION);
        event.putArray("resources").add("arn:aws:events:" + SamTemplate.LOCAL_REGION + ":" + SamTemplate.LOCAL_ACCOUNT_ID
                + ":rule/mediagate-local-" + FUNCTION + "Hourly");
        event.putObject("detail");
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
