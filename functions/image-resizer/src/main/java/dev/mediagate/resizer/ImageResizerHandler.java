package dev.mediagate.resizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.files.ReprocessMessage;
import dev.mediagate.core.metrics.Metrics;
import dev.mediagate.core.aws.S3EndpointConfig;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.upload.UploadConfig;
import dev.mediagate.core.aws.S3Clients;
import dev.mediagate.events.EventBus;
import dev.mediagate.imaging.ImagePipeline;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import dev.mediagate.imaging.RejectionReason;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * ImageResizerFunction: S3's notifications of new originals arrive through an SQS queue, and every record under
 * {@code originals/} becomes variants and a manifest. A failing record does not stop the others. A transient failure
 * (S3, the bus) reports its message in {@code batchItemFailures}, so SQS delivers it again after the visibility timeout,
 * and the records already done are skipped cheaply then (their manifest names the same ETag). A deterministic failure
 * is announced as {@code file.failed} at once instead of being retried to the same end, and so is a transient one on the
 * last receive that processes ({@code MAX_RECEIVE_COUNT - 1}), with its reason; its message is then done with. The
 * queue's very last receive comes only after receives that crashed or timed out (they report nothing): it processes
 * nothing, announces {@code file.failed} and leaves the message to go to the failure queue, where an operator can look
 * at it and redrive it.
 */
public class ImageResizerHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {

    private static final Logger log = LoggerFactory.getLogger(ImageResizerHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final long DEFAULT_MAX_IMAGE_BYTES = 104_857_600L;
    /**
     * The original's bytes are streamed into native memory, beside libvips' decode: a 1 GiB original peaks at about
     * 1.3 GiB resident with the default variants (bench/run original-memory), within the function's 2 GiB.
     */
    public static final long MAX_IMAGE_BYTES_LIMIT = 1L << 30;

    /** The queue's {@code maxReceiveCount} when the environment does not say (template.yaml sets it). */
    public static final int DEFAULT_MAX_RECEIVE_COUNT = 5;

    private final MediaProcessor processor;
    private final int maxReceiveCount;
    /** MALWARE_SCAN_FAIL_OPEN [false]: a scan that did not conclude is processed as clean instead of rejected scan-failed. */
    private final boolean malwareScanFailOpen;

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
        this(new MediaProcessor(new S3MediaBucket(S3Clients.client(S3EndpointConfig.from(settings)), upload.bucket()),
                settings.longInRange("MAX_IMAGE_BYTES", DEFAULT_MAX_IMAGE_BYTES, 1, MAX_IMAGE_BYTES_LIMIT),
                ImagePipeline.from(settings), Clock.systemUTC(), Metrics.toStandardOutput("image-resizer"),
                EventBus.from(settings), MediaProcessor.Checkpoints.NONE, VariantWrites.inFlight(settings)).waitingForMalwareVerdicts(scansForMalware(settings), settings.bool("MALWARE_SCAN_FAIL_OPEN", false)),
                (int) settings.longInRange("MAX_RECEIVE_COUNT", DEFAULT_MAX_RECEIVE_COUNT, 1, 1000),
                settings.bool("MALWARE_SCAN_FAIL_OPEN", false));
    }

    /** MALWARE_SCANNING [off]: {@code guardduty} when GuardDuty's verdicts start the resizer (template MalwareScanning). */
    static boolean scansForMalware(Settings settings) {
        String scanning = settings.string("MALWARE_SCANNING", "off");
        return switch (scanning) {
            case "off" -> false;
            case "guardduty" -> true;
            default -> throw new dev.mediagate.core.config.ConfigurationException("MALWARE_SCANNING",
                    "must be off or guardduty, got '" + scanning + "'");
        };
    }

    ImageResizerHandler(MediaProcessor processor) {
        this(processor, DEFAULT_MAX_RECEIVE_COUNT);
    }

    ImageResizerHandler(MediaProcessor processor, int maxReceiveCount) {
        this(processor, maxReceiveCount, false);
    }

    ImageResizerHandler(MediaProcessor processor, int maxReceiveCount, boolean malwareScanFailOpen) {
        this.processor = processor;
        this.maxReceiveCount = maxReceiveCount;
        this.malwareScanFailOpen = malwareScanFailOpen;
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

    /**
     * One SQS batch from the resizer's queue: each message is one S3 notification (S3's {@code s3:TestEvent}, sent when
     * the notification is set up, is acknowledged and ignored). A message whose records are all done is acknowledged;
     * one with a transient failure is reported in {@code batchItemFailures}, so only it comes back.
     */
    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        if (context != null) {
            MDC.put("lambdaRequestId", context.getAwsRequestId());
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        try {
            for (SQSMessage message : event.getRecords()) {
                MDC.put("messageId", message.getMessageId());
                if (!handle(message)) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            }
        } finally {
            MDC.clear();
        }
        return new SQSBatchResponse(failures);
    }

    /** Whether the message is done with: performed, skipped, or given up on for good. */
    private boolean handle(SQSMessage message) {
        ResizerWork work;
        try {
            work = ResizerWork.parse(message.getBody());
        } catch (IllegalArgumentException e) {
            // Not retried into success: it goes to the failure queue after its receives, where the alarm shows it.
            log.atError().addKeyValue("why", e.getMessage()).log("a message on the resizer's queue is no work the resizer knows");
            return false;
        }
        try {
            return perform(work, receiveCount(message));
        } catch (RuntimeException e) {
            // Announcing a failure failed too: this message alone comes back, not its batch.
            log.atError().setCause(e).log("the message will be received again");
            return false;
        }
    }

    /**
     * One message's work on its {@code receiveCount}th receive; whether it is done with. A receive at
     * {@code maxReceiveCount} comes only after receives that crashed or timed out: it processes nothing, announces
     * {@code file.failed} and leaves the message to go to the failure queue.
     */
    private boolean perform(ResizerWork work, int receiveCount) {
        return switch (work) {
            case ResizerWork.S3TestEvent testEvent -> {
                log.atInfo().log("S3's test message, sent when the bucket's notification was set up: ignored");
                yield true;
            }
            case ResizerWork.NewOriginals originals -> {
                if (receiveCount >= maxReceiveCount) {
                    announceGivingUp(originals.objects(), receiveCount);
                    yield false;
                }
                yield process(originals.objects(), new ArrayList<>(), receiveCount >= maxReceiveCount - 1, null) == null;
            }
            case ResizerWork.MalwareScanned scanned -> {
                MalwareScanResult result = scanned.result();
                List<S3Notifications.S3Object> original = List.of(new S3Notifications.S3Object(result.bucket(), result.key()));
                if (receiveCount >= maxReceiveCount) {
                    announceGivingUp(original, receiveCount);
                    yield false;
                }
                log.atInfo().addKeyValue("key", result.key()).addKeyValue("verdict", result.verdict())
                        .addKeyValue("threats", result.threats()).log("malware scan result");
                yield process(original, new ArrayList<>(), receiveCount >= maxReceiveCount - 1, result.rejection(malwareScanFailOpen),
                        result.eTag()) == null;
            }
            case ResizerWork.Repair repair -> {
                // As a new original's, with the same receives; a file processed since the sweep looked is skipped.
                repair.objects().forEach(object -> log.atInfo().addKeyValue("key", object.key())
                        .log("the repair sweep found no manifest: processed as a new original"));
                if (receiveCount >= maxReceiveCount) {
                    announceGivingUp(repair.objects(), receiveCount);
                    yield false;
                }
                // No malware verdict (null): with scanning on, an original that never got one is left alone.
                yield process(repair.objects(), new ArrayList<>(), receiveCount >= maxReceiveCount - 1, null) == null;
            }
            case ResizerWork.Reprocess reprocess -> reprocess(reprocess.message(), receiveCount);
        };
    }

    /**
     * One file made again on the API's request. The file keeps serving its current variants whatever happens here; a
     * change of the file that came first ({@code PATCH}, another run) makes the message come back, to start from what
     * it left; what no retry can change (no such original) is logged and dropped. On the last receive, as for a new
     * original, an original that still has no manifest is announced as {@code file.failed}.
     */
    private boolean reprocess(ReprocessMessage message, int receiveCount) {
        S3Notifications.S3Object object = new S3Notifications.S3Object(message.bucket(), message.key());
        if (receiveCount >= maxReceiveCount) {
            announceGivingUp(List.of(object), receiveCount);
            return false;
        }
        try {
            Reprocessing.Outcome outcome = processor.reprocess(message.bucket(), message.key(), message.force());
            log.atInfo().addKeyValue("key", message.key()).addKeyValue("force", message.force()).addKeyValue("outcome", outcome.kind())
                    .log("reprocess: {}", outcome.detail());
            if (outcome.kind().isFailure()) {
                log.atError().addKeyValue("key", message.key()).addKeyValue("outcome", outcome.kind()).log("reprocess request dropped");
            }
            return outcome.kind() != Reprocessing.Kind.RACED;
        } catch (RuntimeException e) {
            if (Failures.isTransient(e) && receiveCount < maxReceiveCount - 1) {
                log.atError().addKeyValue("key", message.key()).setCause(e).log("reprocessing failed, the message will be received again");
                return false;
            }
            log.atError().addKeyValue("key", message.key()).setCause(e).log("reprocessing failed for good");
            if (Failures.isTransient(e)) {
                processor.giveUp(message.bucket(), message.key(), e, Failures.reason(e));
            } else {
                processor.giveUp(message.bucket(), message.key(), e);
            }
            return true;
        }
    }

    /** SQS's {@code ApproximateReceiveCount}: 1 on the first delivery. */
    private static int receiveCount(SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * An S3 event as S3 would invoke the function directly (and as {@code events/s3-object-created.json} holds it): a
     * transient failure is thrown after the other records ran. The queue's path shares every step but the reporting.
     */
    public String handle(S3Event event) {
        List<S3Notifications.S3Object> objects = event.getRecords().stream()
                .map(record -> new S3Notifications.S3Object(record.getS3().getBucket().getName(), record.getS3().getObject().getUrlDecodedKey()))
                .toList();
        List<ProcessingResult> results = new ArrayList<>();
        RuntimeException failure = process(objects, results, false, null);
        if (failure != null) {
            throw failure;
        }
        try {
            return JSON.writeValueAsString(results);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every object in turn; the first transient failure is returned (null when there was none) after the others ran. On
     * the last attempt a transient failure is final too: announced with its reason, not returned.
     */
    /** {@code scanRejection}: null without a malware scan's verdict, else what the verdict makes of the file. */
    private RuntimeException process(List<S3Notifications.S3Object> objects, List<ProcessingResult> results, boolean lastAttempt,
            Optional<RejectionReason> scanRejection) {
        return process(objects, results, lastAttempt, scanRejection, "");
    }

    /** {@code scannedEtag}: the ETag of the bytes the verdict is about (empty: none, or unknown). */
    private RuntimeException process(List<S3Notifications.S3Object> objects, List<ProcessingResult> results, boolean lastAttempt,
            Optional<RejectionReason> scanRejection, String scannedEtag) {
        RuntimeException failure = null;
        for (S3Notifications.S3Object object : objects) {
            String key = object.key();
            try {
                ProcessingResult result = processor.process(object.bucket(), key, scanRejection, scannedEtag);
                if (result.outcome() == ProcessingResult.Outcome.SKIPPED) {
                    log.atInfo().addKeyValue("key", key).addKeyValue("why", result.reason()).log("skipped");
                }
                results.add(result);
            } catch (RuntimeException e) {
                if (Failures.isTransient(e) && lastAttempt) {
                    log.atError().addKeyValue("key", key).setCause(e).log("processing failed on its last attempt, announced as file.failed");
                    results.add(processor.giveUp(object.bucket(), key, e, Failures.reason(e)));
                } else if (Failures.isTransient(e)) {
                    log.atError().addKeyValue("key", key).setCause(e).log("processing failed, the message will be received again");
                    failure = failure == null ? e : failure;
                    results.add(ProcessingResult.failed(key, e.getClass().getSimpleName()));
                } else {
                    // The same bytes would fail the same way on every retry: recorded as failed now, not retried.
                    log.atError().addKeyValue("key", key).setCause(e).log("processing failed for good, announced as file.failed");
                    results.add(processor.giveUp(object.bucket(), key, e));
                }
            }
        }
        return failure;
    }

    /** The last receive: {@code file.failed} for each original without a manifest (one written meanwhile stands). */
    private void announceGivingUp(List<S3Notifications.S3Object> objects, int receiveCount) {
        for (S3Notifications.S3Object object : objects) {
            ProcessingResult result = processor.giveUp(object.bucket(), object.key(), new EveryReceiveFailed(receiveCount));
            log.atError().addKeyValue("key", object.key()).addKeyValue("receiveCount", receiveCount)
                    .addKeyValue("outcome", result.outcome()).addKeyValue("why", result.reason())
                    .log("every earlier receive failed: announced as file.failed, the message goes to the failure queue");
        }
    }

    /** Why the last receive gives up (names the GaveUp metric's Error dimension). */
    static final class EveryReceiveFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EveryReceiveFailed(int receiveCount) {
            super("processing failed or crashed on each of the " + (receiveCount - 1) + " earlier receives", null, false, false);
        }
    }
}
