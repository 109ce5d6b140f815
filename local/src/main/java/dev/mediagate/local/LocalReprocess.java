package dev.mediagate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.local.events.LocalAwsEndpoint;
import dev.mediagate.local.lambda.AsyncInvoker;
import dev.mediagate.local.lambda.FunctionHost;
import dev.mediagate.local.s3.LocalS3Server;
import dev.mediagate.local.s3.NotificationRule;
import dev.mediagate.local.s3.NotifyingBlobStore;
import dev.mediagate.local.sqs.LocalSqsQueue;
import org.gaul.s3proxy.blobstore.BlobStore;
import java.nio.file.Path;
import dev.mediagate.local.sam.SamTemplate;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code reprocess [--stale | --all] [--owner OWNER]}: ReprocessFunction, with the environment {@code template.yaml}
 * (and {@code --parameter-overrides}) gives it, over every original of the local bucket (or one owner's), each as one
 * task of an S3 Batch Operations invocation (schema 2.0; {@code --all} sends {@code {"force": "true"}}), as a job in
 * AWS would. A progress bar on standard error; the last line on standard output is
 * {@code reprocess: N files, S succeeded, F failed, K already current}. On a stopped stack's data the command does it
 * itself ({@link #run}); beside a running stack, that stack does ({@link #inRunningStack}).
 */
public final class LocalReprocess {

    static final String FUNCTION = "ReprocessFunction";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalReprocess() {
    }

    /** The counts the last line reports; {@code succeeded} are the files made again. */
    public record Summary(int files, int succeeded, int failed, int current) {

        public String line() {
            return "reprocess: " + files + " files, " + succeeded + " succeeded, " + failed + " failed, " + current
                    + " already current";
        }
    }

    /**
     * Refused while a stack runs on the data directory: the events kept for its next start would wait for a start that
     * has already happened. With the stack running, one file at a time goes through
     * {@code POST /owners/{owner}/files/{fileId}/reprocess}.
     */
    public static Summary run(boolean all, Optional<String> owner, LocalStack.Options options) throws Exception {
        DataDirectoryLock dataDirectory;
        try {
            dataDirectory = DataDirectoryLock.take(options.dataDir(), "reprocess");
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage() + ": stop it first; reprocess runs on a stopped stack's data,"
                    + " whose events the stack delivers when it starts (one file on a running stack: POST"
                    + " /owners/{owner}/files/{fileId}/reprocess)");
        }
        try (dataDirectory) {
            return runHolding(all, owner, options);
        }
    }

    private static Summary runHolding(boolean all, Optional<String> owner, LocalStack.Options options) throws Exception {
        SamTemplate template = SamTemplate.load(options.template(), options.parameterOverrides());
        LocalKeys.loadOrCreate(options.dataDir().resolve("keys"), "cloudfront");
        java.util.Properties before = (java.util.Properties) System.getProperties().clone();
        FunctionHost functions = new FunctionHost(template, 1, true);
        try (LocalS3Server s3 = new LocalS3Server(options.dataDir().resolve("s3"), 0, List.of(),
                store -> notifyingTheNextStart(store, template, functions, options.dataDir()));
                LocalAwsEndpoint aws = new LocalAwsEndpoint(new dev.mediagate.local.events.LocalEventBus(entry -> { }))) {
            Map<String, String> overrides = new LinkedHashMap<>(LocalStack.overrides(s3, "http://127.0.0.1:" + options.cdnPort(),
                    LocalKeys.privateKeyFile(options.dataDir().resolve("keys"), "cloudfront")));
            overrides.putAll(LocalStack.eventOverrides(aws.url(), LocalKeys.webhookSecret(options.dataDir().resolve("keys"))));
            overrides.put("LIBVIPS_PATH", dev.mediagate.local.lambda.SharpLibvips.library().toString());
            overrides.putAll(LocalStack.heicLayer(template));
            functions.configure(overrides);
            String bucket = template.environment(FUNCTION).get("MEDIA_BUCKET");
            s3.ensureBucket(bucket);
            PrintStream stdout = LocalStack.stderrAsStdout();
            try {
                Summary summary = reprocessEach(functions, bucket, originals(s3.client(), bucket, owner), all,
                        (done, total) -> System.err.print("\r" + bar(done, total)),
                        failure -> System.err.println("\r" + failure));
                System.err.println();
                return summary;
            } finally {
                System.setOut(stdout);
            }
        } finally {
            System.setProperties(before);
        }
    }

    /**
     * S3's notifications of what the reprocessing writes (a new manifest: the publisher's {@code file.ready}), kept under
     * {@code DIR/pending/} and {@code DIR/queues/} as the running stack keeps the events it has accepted: the stack
     * delivers them when it starts, as Lambda's asynchronous queue and SQS would have at once in AWS. Without this a
     * reprocessed file would never be announced (the objects' tags are the local S3's own). S3's
     * EventBridge notifications go nowhere here (GuardDuty's stand-in only scans new originals, and reprocessing writes
     * none).
     */
    static BlobStore notifyingTheNextStart(BlobStore store, SamTemplate template, FunctionHost functions, Path dataDir) {
        DiskSpool asyncInvocations = new DiskSpool(dataDir.resolve("pending").resolve("async-invocations"));
        Map<String, LocalSqsQueue> queues = new java.util.concurrent.ConcurrentHashMap<>();
        return new NotifyingBlobStore(store, NotificationRule.from(template), (rule, event) -> {
            if (rule.toQueue()) {
                // Not started: the message stays on disk for the stack's own queue to receive.
                queues.computeIfAbsent(rule.queueId(), queueId -> new LocalSqsQueue(LocalSqsQueue.Config.from(template, queueId, 1),
                        functions, dataDir.resolve("queues").resolve(queueId), dataDir.resolve("dlq"), java.time.Duration.ofSeconds(1)))
                        .send(new String(event, java.nio.charset.StandardCharsets.UTF_8));
            } else {
                AsyncInvoker.keepForTheNextStart(asyncInvocations, rule.functionId(), event);
            }
        });
    }

    /** How far a reprocessing is: after each file, the files done and how many there are. */
    @FunctionalInterface
    public interface Progress {
        void filesDone(int done, int total);
    }

    /**
     * The running stack's reprocessing ({@code POST /_local/reprocess}): ReprocessFunction as that stack configured it,
     * over its bucket's originals, each write notifying the stack's own publisher at once (a {@code file.ready} per file
     * made again, as in AWS).
     */
    public static Summary inRunningStack(FunctionHost functions, S3Client s3, String bucket, boolean all, Optional<String> owner,
            Progress progress, java.util.function.Consumer<String> failures) {
        return reprocessEach(functions, bucket, originals(s3, bucket, owner), all, progress, failures);
    }

    /** Each original as one task of a Batch Operations invocation; a task that does not succeed is told to {@code failures}. */
    static Summary reprocessEach(FunctionHost functions, String bucket, List<String> keys, boolean all, Progress progress,
            java.util.function.Consumer<String> failures) {
        int succeeded = 0;
        int failed = 0;
        int current = 0;
        for (int i = 0; i < keys.size(); i++) {
            JsonNode result;
            try {
                result = JSON.readTree(functions.invoke(FUNCTION, event(bucket, keys.get(i), all, i))).at("/results/0");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (!result.path("resultCode").asText().equals("Succeeded")) {
                failed++;
                failures.accept(keys.get(i) + ": " + result.path("resultCode").asText() + " " + result.path("resultString").asText());
            } else if (result.path("resultString").asText().startsWith("current:")) {
                current++;
            } else {
                succeeded++;
            }
            progress.filesDone(i + 1, keys.size());
        }
        return new Summary(keys.size(), succeeded, failed, current);
    }

    /** {@code [#####-----] 5/10}: one line, redrawn in place. */
    public static String bar(int done, int total) {
        int width = 30;
        int filled = total == 0 ? width : done * width / total;
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + done + "/" + total;
    }

    /** One task, shaped as S3 Batch Operations invokes the function (schema 2.0). */
    static byte[] event(String bucket, String key, boolean force, int index) throws java.io.IOException {
        ObjectNode event = JSON.createObjectNode();
        event.put("invocationSchemaVersion", "2.0");
        event.put("invocationId", "local-reprocess");
        ObjectNode job = event.putObject("job");
        job.put("id", "local-reprocess");
        job.putObject("userArguments").put("force", String.valueOf(force));
        ObjectNode task = event.putArray("tasks").addObject();
        task.put("taskId", "task-" + index);
        task.put("s3Key", key);
        task.putNull("s3VersionId");
        task.put("s3Bucket", bucket);
        return JSON.writeValueAsBytes(event);
    }

    private static List<String> originals(S3Client s3, String bucket, Optional<String> owner) {
        String prefix = "originals/" + owner.map(value -> value + "/").orElse("");
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }
}
