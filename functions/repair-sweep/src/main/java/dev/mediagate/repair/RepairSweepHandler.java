package dev.mediagate.repair;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.mediagate.core.aws.S3Clients;
import dev.mediagate.core.aws.S3EndpointConfig;
import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * RepairSweepFunction: run on a schedule (an EventBridge rule's "Scheduled Event", {@code events/scheduled-repair-sweep.json}),
 * it queues again, for the resizer, every original that still has no manifest {@code RECONCILE_AFTER_MINUTES} after it
 * landed: a notification S3 never delivered, a message that aged out of the resizer's failure queue. How it finds them
 * without listing the bucket: {@link RepairSweep}.
 */
public class RepairSweepHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger log = LoggerFactory.getLogger(RepairSweepHandler.class);

    static final long DEFAULT_RECONCILE_AFTER_MINUTES = 60;
    /**
     * The resizer's queue retries a message for up to 5 receives × its 6-minute visibility timeout: a sweep that came
     * sooner would queue files that are still being retried.
     */
    public static final long MIN_RECONCILE_AFTER_MINUTES = 30;
    /** A week: a lost upload is repaired within about a day of its threshold anyway (the inventory is daily). */
    public static final long MAX_RECONCILE_AFTER_MINUTES = 10_080;
    static final int DEFAULT_MAX_REPAIRS_PER_RUN = 10_000;
    /** A run stops queueing this long before Lambda's timeout, to record where it stopped. */
    static final Duration TIME_TO_RECORD_THE_CURSOR = Duration.ofSeconds(60);
    /** HEADs in flight at once: S3 takes 5,500 GET/HEAD a second per prefix, each HEAD takes ~10-20 ms. */
    static final int PARALLEL_HEADS = 32;

    private final RepairSweep sweep;
    private final Metrics metrics;
    private final Clock clock;

    /** Lambda's init: settings validated (each error names its variable), clients built once. */
    public RepairSweepHandler() {
        this(Settings.fromEnvironment());
    }

    /** The function's environment given explicitly: tests, and the local stack, which cannot set this JVM's environment. */
    RepairSweepHandler(Settings settings) {
        this(sweep(settings, Clock.systemUTC()), Metrics.toStandardOutput("repair-sweep"), Clock.systemUTC());
    }

    RepairSweepHandler(RepairSweep sweep, Metrics metrics, Clock clock) {
        this.sweep = sweep;
        this.metrics = metrics;
        this.clock = clock;
    }

    private static RepairSweep sweep(Settings settings, Clock clock) {
        String mediaBucket = settings.required("MEDIA_BUCKET");
        String inventoryBucket = settings.required("INVENTORY_BUCKET");
        String reportsPrefix = settings.required("INVENTORY_REPORTS_PREFIX");
        if (reportsPrefix.startsWith("/") || !reportsPrefix.endsWith("/")) {
            throw new ConfigurationException("INVENTORY_REPORTS_PREFIX",
                    "must be the inventory's {prefix}/{source-bucket}/{config-ID}/, ending with / and not starting with one");
        }
        String queueUrl = settings.httpUrl("RESIZER_QUEUE_URL")
                .orElseThrow(() -> new ConfigurationException("RESIZER_QUEUE_URL", "is required but not set")).toString();
        Duration reconcileAfter = Duration.ofMinutes(settings.longInRange("RECONCILE_AFTER_MINUTES",
                DEFAULT_RECONCILE_AFTER_MINUTES, MIN_RECONCILE_AFTER_MINUTES, MAX_RECONCILE_AFTER_MINUTES));
        int maxRepairs = (int) settings.longInRange("MAX_REPAIRS_PER_RUN", DEFAULT_MAX_REPAIRS_PER_RUN, 1, 100_000);
        var sqs = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(new DefaultAwsRegionProviderChain().getRegion());
        settings.httpUrl("AWS_ENDPOINT_URL_SQS").ifPresent(sqs::endpointOverride);
        ExecutorService heads = Executors.newFixedThreadPool(PARALLEL_HEADS, Thread.ofPlatform().daemon().name("repair-head-", 0).factory());
        return new RepairSweep(new S3SweepStore(S3Clients.client(S3EndpointConfig.from(settings)), inventoryBucket, mediaBucket),
                new SqsRepairQueue(sqs.build(), queueUrl, clock), mediaBucket, reportsPrefix, reconcileAfter, maxRepairs, heads);
    }

    /**
     * One scheduled run. "Now" is the event's {@code time} (when the schedule fired), so a run EventBridge retried late
     * judges ages as the scheduled one would; an invocation without one (by hand, {@code aws lambda invoke}) uses the
     * clock.
     */
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        if (context != null) {
            MDC.put("lambdaRequestId", context.getAwsRequestId());
        }
        try {
            Instant now = scheduledTime(event).orElseGet(clock::instant);
            BooleanSupplier outOfTime = context == null ? () -> false
                    : () -> context.getRemainingTimeInMillis() < TIME_TO_RECORD_THE_CURSOR.toMillis();
            RepairSweep.Outcome outcome = sweep.run(now, outOfTime);
            metrics.put(Map.of(), "Count", Map.of("FilesRepaired", outcome.repaired(), "ManifestsChecked", outcome.manifestsChecked()));
            log.atInfo().addKeyValue("state", outcome.state()).addKeyValue("report", outcome.report())
                    .addKeyValue("originalsInWindow", outcome.originalsInWindow())
                    .addKeyValue("manifestsChecked", outcome.manifestsChecked()).addKeyValue("repaired", outcome.repaired())
                    .log("repair sweep");
            // A map, which Lambda's serializer writes as a JSON object whatever its version (records it may not know).
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("state", outcome.state());
            answer.put("report", outcome.report());
            answer.put("originalsInWindow", outcome.originalsInWindow());
            answer.put("manifestsChecked", outcome.manifestsChecked());
            answer.put("repaired", outcome.repaired());
            return answer;
        } finally {
            MDC.clear();
        }
    }

    /** The scheduled event's {@code time}; refuses one that is there but not a time. */
    static Optional<Instant> scheduledTime(Map<String, Object> event) {
        Object time = event == null ? null : event.get("time");
        if (time == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(String.valueOf(time)));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the event's time is not an ISO-8601 instant: " + String.valueOf(time).length()
                    + " characters");
        }
    }
}
