package dev.mediagate.core.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * Hand-written: a function without SnapStart writes its first metric ~850 ms sooner than with Powertools' metrics
 * ({@code bench/run logging}; docs/operations.md, "Logs").
 *
 * <p>CloudWatch metrics as Embedded Metric Format: one JSON object per line on standard output, which Lambda's log
 * pipeline turns into metrics with no API call and no extra latency. Namespace {@code mediagate}, always the
 * {@code Function} dimension, plus any given.
 */
public final class Metrics {

    public static final String NAMESPACE = "mediagate";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadLocal<Boolean> SUPPRESSED = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final String function;
    private final PrintStream out;
    private final Clock clock;

    public Metrics(String function, PrintStream out, Clock clock) {
        this.function = function;
        this.out = out;
        this.clock = clock;
    }

    public static Metrics toStandardOutput(String function) {
        return new Metrics(function, System.out, Clock.systemUTC());
    }

    /** Runs work that must not count, such as SnapStart priming with synthetic requests. */
    public static void suppressedDuring(Runnable work) {
        SUPPRESSED.set(Boolean.TRUE);
        try {
            work.run();
        } finally {
            SUPPRESSED.remove();
        }
    }

    /** One EMF record: {@code values} maps metric names to values in {@code unit} (Count, Milliseconds, …). */
    public void put(Map<String, String> dimensions, String unit, Map<String, ? extends Number> values) {
        if (SUPPRESSED.get()) {
            return;
        }
        ObjectNode record = JSON.createObjectNode();
        ObjectNode aws = record.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
        dimensionSet.add("Function");
        record.put("Function", function);
        dimensions.forEach((name, value) -> {
            dimensionSet.add(name);
            record.put(name, value);
        });
        ArrayNode metrics = directive.putArray("Metrics");
        values.forEach((name, value) -> {
            metrics.addObject().put("Name", name).put("Unit", unit);
            record.put(name, value.doubleValue());
        });
        try {
            out.println(JSON.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void count(String name, Map<String, String> dimensions) {
        put(dimensions, "Count", Map.of(name, 1));
    }
}
