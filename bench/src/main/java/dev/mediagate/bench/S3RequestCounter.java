package dev.mediagate.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Counts the HTTP requests every SDK client of this JVM sends, by service and operation ({@code S3 PutObject}), retries
 * included, and the span of a run's variant writes (first variant PUT sent to last answered). Registered only in the
 * JVMs {@link ResizerWrites} starts, through a global interceptors file on their class path (the SDK reads
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}), never in the other benches.
 *
 * <p>{@code BENCH_S3_LATENCY_MS} holds each S3 request that long before it is sent: S3Proxy on loopback answers in about
 * a millisecond, S3 itself small requests in "tens of milliseconds" at the median (Best Practices Design Patterns:
 * Optimizing Amazon S3 Performance, "Timeouts and Retries for Latency-Sensitive Applications").
 */
public final class S3RequestCounter implements ExecutionInterceptor {

    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
    private static final AtomicLong FIRST_VARIANT_PUT = new AtomicLong(Long.MAX_VALUE);
    private static final AtomicLong LAST_VARIANT_ANSWER = new AtomicLong();
    private static final long LATENCY_MS = Long.parseLong(System.getenv().getOrDefault("BENCH_S3_LATENCY_MS", "0"));

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + " "
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        COUNTS.computeIfAbsent(name, ignored -> new AtomicLong()).incrementAndGet();
        if (isVariantPut(context.request())) {
            FIRST_VARIANT_PUT.accumulateAndGet(System.nanoTime(), Math::min);
        }
        if (LATENCY_MS > 0 && "S3".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
            try {
                Thread.sleep(LATENCY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (isVariantPut(context.request())) {
            LAST_VARIANT_ANSWER.accumulateAndGet(System.nanoTime(), Math::max);
        }
    }

    private static boolean isVariantPut(Object request) {
        return request instanceof PutObjectRequest put && !put.key().endsWith("/manifest.json");
    }

    /** The counts since the last reset, by name, sorted. */
    static Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        COUNTS.forEach((name, count) -> counts.put(name, count.get()));
        return counts;
    }

    /** Milliseconds from the first variant PUT sent to the last one answered since the last reset. */
    static long variantWriteSpanMillis() {
        long first = FIRST_VARIANT_PUT.get();
        return first == Long.MAX_VALUE ? 0 : (LAST_VARIANT_ANSWER.get() - first) / 1_000_000;
    }

    static void reset() {
        COUNTS.clear();
        FIRST_VARIANT_PUT.set(Long.MAX_VALUE);
        LAST_VARIANT_ANSWER.set(0);
    }
}
