package dev.mediagate.resizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.core.aws.S3Clients;
import dev.mediagate.core.aws.S3EndpointConfig;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.metrics.Metrics;
import dev.mediagate.core.upload.UploadConfig;
import dev.mediagate.events.EventBus;
import dev.mediagate.imaging.ImagePipeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * ReprocessFunction: S3 Batch Operations' {@code LambdaInvoke} (invocation schema 2.0, S3 User Guide, "Invoking a
 * Lambda function from Batch Operations"), one original per task, made again by the resizer's own code when its
 * manifest's recipe is not today's, or always with the job's {@code userArguments} {@code {"force": "true"}}. Each task
 * is answered {@code Succeeded} (made again, already current, or deleted meanwhile), {@code TemporaryFailure} (S3 or
 * the bus throttled or failing: Batch Operations retries the task) or {@code PermanentFailure} (no such original, not
 * an original's key, another bucket, a failure no retry could cure), with a one-line {@code resultString} that lands in
 * the job's completion report. Running a task twice is harmless: the second finds the file current.
 */
public class ReprocessHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(ReprocessHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Batch Operations' report column holds at most this much of a result string; ours are one short line anyway. */
    static final int MAX_RESULT_STRING = 1024;

    private final Reprocessing reprocessing;

    public ReprocessHandler() {
        this(Settings.fromEnvironment());
    }

    /**
     * The resizer's own processor, configured from the same variables: Batch Operations already is a durable queue with
     * retries ({@code TemporaryFailure}), so each task is processed here rather than handed to the resizer's queue.
     */
    ReprocessHandler(Settings settings) {
        this(new MediaProcessor(new S3MediaBucket(S3Clients.client(S3EndpointConfig.from(settings)), UploadConfig.from(settings).bucket()),
                settings.longInRange("MAX_IMAGE_BYTES", ImageResizerHandler.DEFAULT_MAX_IMAGE_BYTES, 1,
                        ImageResizerHandler.MAX_IMAGE_BYTES_LIMIT),
                ImagePipeline.from(settings), Clock.systemUTC(),
                Metrics.toStandardOutput("reprocess"), EventBus.from(settings), MediaProcessor.Checkpoints.NONE,
                VariantWrites.inFlight(settings))
                .waitingForMalwareVerdicts(ImageResizerHandler.scansForMalware(settings),
                        settings.bool("MALWARE_SCAN_FAIL_OPEN", false)));
    }

    ReprocessHandler(Reprocessing reprocessing) {
        this.reprocessing = reprocessing;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        if (context != null) {
            MDC.put("lambdaRequestId", context.getAwsRequestId());
        }
        try {
            JSON.writeValue(output, answer(JSON.readTree(input)));
        } finally {
            MDC.clear();
        }
    }

    /** The response to one invocation: the request's schema version and invocation id, one result per task. */
    ObjectNode answer(JsonNode request) {
        String schema = request.path("invocationSchemaVersion").asText("");
        if (!schema.equals("1.0") && !schema.equals("2.0")) {
            // Batch Operations sends 1.0 or 2.0 only: anything else is not a Batch Operations invocation at all.
            throw new IllegalArgumentException("not an S3 Batch Operations invocation (invocationSchemaVersion "
                    + (schema.isEmpty() ? "missing" : schema) + ")");
        }
        boolean force = "true".equalsIgnoreCase(request.at("/job/userArguments/force").asText(""));
        ObjectNode response = JSON.createObjectNode();
        response.put("invocationSchemaVersion", schema);
        // A key that is gone by the time its task runs is an original deleted meanwhile: nothing to retry.
        response.put("treatMissingKeysAs", "PermanentFailure");
        response.put("invocationId", request.path("invocationId").asText());
        ArrayNode results = response.putArray("results");
        for (JsonNode task : request.path("tasks")) {
            ObjectNode result = results.addObject();
            result.put("taskId", task.path("taskId").asText());
            Result outcome = run(bucketOf(task), keyOf(task), force);
            result.put("resultCode", outcome.code().name());
            result.put("resultString", oneLine(outcome.detail()));
        }
        return response;
    }

    /** One task: never throws, every failure is a result code. */
    private Result run(String bucket, String key, boolean force) {
        try {
            Reprocessing.Outcome outcome = reprocessing.reprocess(bucket, key, force);
            log.atInfo().addKeyValue("key", key).addKeyValue("force", force).addKeyValue("outcome", outcome.kind())
                    .log("reprocess task: {}", outcome.detail());
            Code code = outcome.kind() == Reprocessing.Kind.RACED ? Code.TemporaryFailure
                    : outcome.kind().isFailure() ? Code.PermanentFailure : Code.Succeeded;
            return new Result(code, outcome.kind().label() + ": " + outcome.detail());
        } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
                log.atWarn().addKeyValue("key", key).setCause(e).log("reprocess task failed, Batch Operations retries it");
                return new Result(Code.TemporaryFailure, "retry: " + describe(e));
            }
            log.atError().addKeyValue("key", key).setCause(e).log("reprocess task failed for good");
            return new Result(Code.PermanentFailure, "failed: " + describe(e));
        }
    }

    /** Schema 2.0 names the bucket; 1.0 its ARN ({@code arn:aws:s3:::name}). */
    private static String bucketOf(JsonNode task) {
        if (task.hasNonNull("s3Bucket")) {
            return task.get("s3Bucket").asText();
        }
        String arn = task.path("s3BucketArn").asText("");
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    /**
     * A manifest from S3 Inventory or a CSV names keys URL-encoded, and Batch Operations hands them on as listed (the
     * User Guide's examples decode them with {@code unquote_plus}); keys of originals never hold '%' or '+', so decoding
     * is safe.
     */
    private static String keyOf(JsonNode task) {
        return URLDecoder.decode(task.path("s3Key").asText(""), StandardCharsets.UTF_8);
    }

    /** S3's status and error code when S3 answered (SlowDown, InternalError), else the exception's first line. */
    private static String describe(RuntimeException e) {
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service && service.awsErrorDetails() != null) {
            return e.getClass().getSimpleName() + " " + service.statusCode() + " " + service.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName() + " " + firstLine(e);
    }

    private static String firstLine(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("[\\r\\n]+", " ");
        return line.length() <= MAX_RESULT_STRING ? line : line.substring(0, MAX_RESULT_STRING);
    }

    enum Code { Succeeded, TemporaryFailure, PermanentFailure }

    private record Result(Code code, String detail) {
    }
}
