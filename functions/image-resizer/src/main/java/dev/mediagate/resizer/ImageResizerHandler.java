package dev.mediagate.resizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.metrics.Metrics;
import dev.mediagate.core.aws.S3EndpointConfig;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.upload.UploadConfig;
import dev.mediagate.core.aws.S3Clients;
import dev.mediagate.events.EventBus;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.imaging.Libvips;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * ImageResizerFunction: every record of an S3 ObjectCreated event under {@code originals/} becomes variants and a
 * manifest. A failing record does not stop the others. A transient failure (S3, the bus) fails the event as a whole so
 * Lambda retries it, and the records already done are skipped cheaply on the retry (their manifest names the same
 * ETag); a deterministic one is announced as {@code file.failed} at once instead of being retried to the same end.
 */
public class ImageResizerHandler implements RequestHandler<S3Event, String>, Resource {

    private static final Logger log = LoggerFactory.getLogger(ImageResizerHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final long DEFAULT_MAX_IMAGE_BYTES = 104_857_600L;
    /**
     * The original's bytes are streamed into native memory, beside libvips' decode: a 1 GiB original peaks at about
     * 1.3 GiB resident with the default variants (bench/run original-memory), within the function's 2 GiB.
     */
    public static final long MAX_IMAGE_BYTES_LIMIT = 1L << 30;

    private final MediaProcessor processor;

    /**
     * Lambda's init: configuration validated, libvips started and the S3 client built once; registered with CRaC, so
     * that with SnapStart the engine is primed before the snapshot is taken.
     */
    public ImageResizerHandler() {
        this(Settings.fromEnvironment());
        logHeapLimit();
        Core.getGlobalContext().register(this);
    }

    /** The function's environment given explicitly: tests, and the local stack, which cannot set this JVM's environment. */
    ImageResizerHandler(Settings settings) {
        this(settings, UploadConfig.from(settings));
    }

    private ImageResizerHandler(Settings settings, UploadConfig upload) {
        this(new MediaProcessor(S3Clients.client(S3EndpointConfig.from(settings)), upload.bucket(),
                settings.longInRange("MAX_IMAGE_BYTES", DEFAULT_MAX_IMAGE_BYTES, 1, MAX_IMAGE_BYTES_LIMIT),
                new ImagePipeline(ResizeConfig.from(settings), Libvips.from(settings)), Clock.systemUTC(), Metrics.toStandardOutput("image-resizer"),
                EventBus.from(settings)));
    }

    ImageResizerHandler(MediaProcessor processor) {
        this.processor = processor;
    }

    /**
     * SnapStart is about to snapshot this initialised function: synthetic pictures of every accepted format go through
     * the whole image pipeline (no S3 call, no event, no metric), so libvips, its codecs and the native call stubs are
     * ready in the snapshot. What the snapshot then holds is safe to share between restored instances: libvips' idle
     * worker threads, no cached operation (libvips' cache is off) and no temporary file (the pictures are small and
     * in memory); S3 and EventBridge connections are opened per request after restore, with credentials resolved then.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        processor.prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: see beforeCheckpoint.
    }

    /**
     * The heap limit the JVM runs with, once per instance: whether Lambda's java25 launcher passes a heap size of its
     * own (which would override JAVA_TOOL_OPTIONS' MaxRAMPercentage) is not documented, so the log says what it got.
     */
    private static void logHeapLimit() {
        String[] launcher = ProcessHandle.current().info().arguments().orElse(new String[0]);
        String toolOptions = System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", "");
        log.atInfo().addKeyValue("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20)
                .addKeyValue("launcherHeapFlags", heapFlags(Arrays.stream(launcher)))
                .addKeyValue("toolOptionsHeapFlags", heapFlags(Arrays.stream(toolOptions.split("\\s+"))))
                .log("heap limit");
    }

    /** Only the flags that size the heap: nothing else of a command line is logged. */
    static List<String> heapFlags(java.util.stream.Stream<String> arguments) {
        return arguments.filter(argument -> argument.startsWith("-Xmx") || argument.startsWith("-Xms")
                || argument.contains("HeapSize") || argument.contains("RAMPercentage") || argument.startsWith("-XX:MaxRAM")).toList();
    }

    @Override
    public String handleRequest(S3Event event, Context context) {
        if (context != null) {
            MDC.put("lambdaRequestId", context.getAwsRequestId());
        }
        List<ProcessingResult> results = new ArrayList<>();
        RuntimeException failure = null;
        try {
            for (S3EventNotificationRecord record : event.getRecords()) {
                String key = record.getS3().getObject().getUrlDecodedKey();
                try {
                    ProcessingResult result = processor.process(record.getS3().getBucket().getName(), key);
                    if (result.outcome().equals("skipped")) {
                        log.atInfo().addKeyValue("key", key).addKeyValue("why", result.reason()).log("skipped");
                    }
                    results.add(result);
                } catch (RuntimeException e) {
                    if (Failures.isTransient(e)) {
                        log.atError().addKeyValue("key", key).setCause(e).log("processing failed, the event will be retried");
                        failure = failure == null ? e : failure;
                        results.add(new ProcessingResult(key, "failed", e.getClass().getSimpleName()));
                    } else {
                        // The same bytes would fail the same way on every retry: recorded as failed now, not retried.
                        log.atError().addKeyValue("key", key).setCause(e).log("processing failed for good, announced as file.failed");
                        results.add(processor.giveUp(record.getS3().getBucket().getName(), key, e));
                    }
                }
            }
        } finally {
            MDC.clear();
        }
        if (failure != null) {
            throw failure;
        }
        try {
            return JSON.writeValueAsString(results);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
