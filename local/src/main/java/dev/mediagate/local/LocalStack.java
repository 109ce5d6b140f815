package dev.mediagate.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.local.apigateway.ApiGateway;
import dev.mediagate.local.apigateway.DevTokens;
import dev.mediagate.local.cdn.CdnEdge;
import dev.mediagate.local.cdn.CdnOriginReads;
import dev.mediagate.local.cdn.CloudFrontInvalidations;
import dev.mediagate.local.cdn.CloudFrontVerifier;
import dev.mediagate.local.events.LocalAwsEndpoint;
import dev.mediagate.local.events.LocalEventBus;
import dev.mediagate.local.events.LocalEventRouter;
import dev.mediagate.local.guardduty.LocalMalwareProtection;
import dev.mediagate.local.lambda.AsyncInvoker;
import dev.mediagate.local.lambda.FunctionHost;
import dev.mediagate.local.lambda.OnFailureRecords;
import dev.mediagate.local.lambda.HeicLayer;
import dev.mediagate.local.lambda.SharpLibvips;
import dev.mediagate.local.s3.LocalInventory;
import dev.mediagate.local.s3.LocalLifecycle;
import dev.mediagate.local.s3.LocalS3Server;
import dev.mediagate.local.s3.NotificationRule;
import dev.mediagate.local.s3.NotifyingBlobStore;
import dev.mediagate.local.s3.ObjectTags;
import dev.mediagate.local.sam.SamTemplate;
import dev.mediagate.local.sqs.LocalSqsQueue;
import dev.mediagate.local.sqs.SqsSendMessage;
import dev.mediagate.local.sqs.LocalWebhookQueue;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * mediagate on a laptop, no Docker, no AWS account: S3Proxy as S3, the real handlers behind a local HTTP API with the
 * JWT check, S3 events to the resizer with Lambda's retries, a CloudFront-like edge, and a demo page. Everything is read
 * from {@code template.yaml}, so the local stack and the deployed one cannot drift apart. Each AWS service it stands in
 * for has a package of its own ({@code apigateway}, {@code lambda}, {@code s3}, {@code cdn}, {@code events}, {@code sqs},
 * {@code sam} for the template); this class wires them together, and {@code cli} is the command line.
 */
public final class LocalStack implements AutoCloseable {

    static final String KEY_PAIR_ID = "K2MEDIAGATELOCAL";
    /** Concurrent instances per function, as Lambda would scale out; two cores rarely need more. */
    public static final int INSTANCES_PER_FUNCTION = 4;
    /** The queue the API sends CDN invalidations to (template.yaml), drained by CdnInvalidationFunction. */
    static final String CDN_INVALIDATION_QUEUE = "CdnInvalidationQueue";
    /** The queue S3 notifies of new originals, which the API's reprocessing and the repair sweep fill too. */
    static final String RESIZER_QUEUE = "ResizerQueue";

    private final LocalS3Server s3;
    private final AsyncInvoker invoker;
    private final ApiGateway api;
    private final CdnEdge cdn;
    private final String bucket;
    private final FunctionHost functions;
    private final LocalAwsEndpoint aws;
    private final LocalEventRouter events;
    private final Optional<LocalWebhookQueue> webhooks;
    private final List<LocalSqsQueue> queues;
    private final Optional<LocalMalwareProtection> malwareProtection;
    private final Optional<LocalRepairSweep> repair;
    private DataDirectoryLock dataDirectory;

    /**
     * Where the stack keeps its data, its ports (0 picks a free one), its template and its webhook receiver; whether a
     * function with native code runs in a JVM of its own (as in Lambda; tests that reach into a function's JVM turn it
     * off), and extra settings every function gets.
     */
    public record Options(Path dataDir, int apiPort, int s3Port, int cdnPort, Path template, Optional<URI> webhookUrl,
            boolean isolateNativeFunctions, Map<String, String> functionSettings, Map<String, String> parameterOverrides) {

        public Options(Path dataDir, int apiPort, int s3Port, int cdnPort, Path template) {
            this(dataDir, apiPort, s3Port, cdnPort, template, Optional.empty(), true, Map.of(), Map.of());
        }

        public Options withWebhookUrl(URI url) {
            return new Options(dataDir, apiPort, s3Port, cdnPort, template, Optional.of(url), isolateNativeFunctions,
                    functionSettings, parameterOverrides);
        }

        public Options withNativeFunctionsInThisJvm() {
            return new Options(dataDir, apiPort, s3Port, cdnPort, template, webhookUrl, false, functionSettings, parameterOverrides);
        }

        public Options withFunctionSetting(String name, String value) {
            Map<String, String> settings = new LinkedHashMap<>(functionSettings);
            settings.put(name, value);
            return new Options(dataDir, apiPort, s3Port, cdnPort, template, webhookUrl, isolateNativeFunctions,
                    Map.copyOf(settings), parameterOverrides);
        }

        /** A template parameter's value, as {@code sam local start-api --parameter-overrides} sets it. */
        public Options withParameter(String name, String value) {
            Map<String, String> parameters = new LinkedHashMap<>(parameterOverrides);
            parameters.put(name, value);
            return new Options(dataDir, apiPort, s3Port, cdnPort, template, webhookUrl, isolateNativeFunctions,
                    functionSettings, Map.copyOf(parameters));
        }
    }

    private LocalStack(LocalS3Server s3, AsyncInvoker invoker, ApiGateway api, CdnEdge cdn, String bucket, FunctionHost functions,
            LocalAwsEndpoint aws, LocalEventRouter events, Optional<LocalWebhookQueue> webhooks, List<LocalSqsQueue> queues,
            Optional<LocalMalwareProtection> malwareProtection, Optional<LocalRepairSweep> repair) {
        this.s3 = s3;
        this.invoker = invoker;
        this.api = api;
        this.cdn = cdn;
        this.bucket = bucket;
        this.functions = functions;
        this.aws = aws;
        this.events = events;
        this.webhooks = webhooks;
        this.queues = queues;
        this.malwareProtection = malwareProtection;
        this.repair = repair;
    }

    /**
     * Starts every part; {@code retryDelay} is the first of the async and webhook retry delays. Refused at once while
     * another stack (or {@code reprocess}) holds the data directory.
     */
    public static LocalStack start(Options options, Duration retryDelay) throws Exception {
        DataDirectoryLock dataDirectory = DataDirectoryLock.take(options.dataDir(), "a local stack that is starting");
        try {
            LocalStack stack = startHolding(options, retryDelay);
            stack.dataDirectory = dataDirectory;
            dataDirectory.describe(DataDirectoryLock.runningStack(stack.api.port()));
            return stack;
        } catch (Exception | Error e) {
            dataDirectory.close();
            throw e;
        }
    }

    private static LocalStack startHolding(Options options, Duration retryDelay) throws Exception {
        Path keys = options.dataDir().resolve("keys");
        // With --webhook-url the template's webhook resources exist, as WebhookUrl and WebhookSecretArn make them in AWS.
        Map<String, String> parameters = new LinkedHashMap<>(options.parameterOverrides());
        options.webhookUrl().ifPresent(url -> {
            parameters.put("WebhookUrl", url.toString());
            parameters.put("WebhookSecretArn", "arn:aws:secretsmanager:" + SamTemplate.LOCAL_REGION + ":"
                    + SamTemplate.LOCAL_ACCOUNT_ID + ":secret:mediagate/local/webhook-secret");
        });
        SamTemplate template = SamTemplate.load(options.template(), parameters);
        Path webhookSecret = LocalKeys.webhookSecret(keys);
        KeyPair cloudFront = LocalKeys.loadOrCreate(options.dataDir().resolve("keys"), "cloudfront");
        KeyPair issuerKeys = LocalKeys.loadOrCreate(options.dataDir().resolve("keys"), "token-issuer");
        FunctionHost functions = new FunctionHost(template, LocalStack.INSTANCES_PER_FUNCTION, options.isolateNativeFunctions());
        ApiGateway api = new ApiGateway(options.apiPort(), template, functions);
        List<String> origins = new ArrayList<>(List.of("http://127.0.0.1:" + api.port(), "http://localhost:" + api.port()));
        template.parameterValue("AllowedOrigins").ifPresent(list -> List.of(list.split(",")).forEach(origin -> {
            if (!origins.contains(origin.trim())) {
                origins.add(origin.trim());
            }
        }));
        String bucket = template.environment("MediaApiFunction").get("MEDIA_BUCKET");
        CdnEdge cdn = new CdnEdge(options.cdnPort(), new CloudFrontVerifier(Map.of(KEY_PAIR_ID, cloudFront.getPublic())),
                CdnOriginReads.from(template), bucket, origins);
        // Pending async events and webhook deliveries are kept on disk (DIR/pending/), as the queues behind them in AWS
        // keep them: a killed stack finishes them after it starts again.
        AsyncInvoker invoker = new AsyncInvoker(functions, options.dataDir().resolve("dlq"), retryDelay, INSTANCES_PER_FUNCTION,
                new DiskSpool(options.dataDir().resolve("pending").resolve("async-invocations")));
        String webhookQueueArn = "arn:aws:sqs:" + SamTemplate.LOCAL_REGION + ":" + SamTemplate.LOCAL_ACCOUNT_ID + ":mediagate-webhooks";
        Optional<LocalWebhookQueue> webhooks = template.exists(LocalWebhookQueue.FUNCTION)
                ? Optional.of(new LocalWebhookQueue(functions, options.dataDir().resolve("webhook-dlq"), retryDelay, webhookQueueArn,
                        new DiskSpool(options.dataDir().resolve("pending").resolve("webhooks"))))
                : Optional.empty();
        LocalEventRouter router = new LocalEventRouter(webhooks, invoker, LocalEventRouter.failurePublisher(template));
        // The API's queued CDN invalidations: kept on disk like SQS would, drained by CdnInvalidationFunction, which
        // asks the local edge's CreateInvalidation.
        Map<String, LocalSqsQueue> sentTo = new LinkedHashMap<>();
        if (template.exists(CDN_INVALIDATION_QUEUE)) {
            sentTo.put(SqsSendMessage.CDN_INVALIDATION_QUEUE_URL, new LocalSqsQueue(LocalSqsQueue.Config.from(template,
                    CDN_INVALIDATION_QUEUE, INSTANCES_PER_FUNCTION), functions,
                    options.dataDir().resolve("queues").resolve(CDN_INVALIDATION_QUEUE), options.dataDir().resolve("dlq"), retryDelay));
        }
        LocalAwsEndpoint aws = new LocalAwsEndpoint(new LocalEventBus(router::route), new SqsSendMessage((queueUrl, body) -> {
            LocalSqsQueue queue = sentTo.get(queueUrl);
            if (queue == null) {
                throw new IllegalArgumentException("no local queue at " + queueUrl);
            }
            queue.send(body);
        }));
        invoker.onFailure((functionId, event, error) -> {
            if (OnFailureRecords.goToTheBus(template, functionId)) {
                router.route(new LocalEventBus.Entry(LocalEventBus.BUS_NAME, "lambda", OnFailureRecords.DETAIL_TYPE,
                        OnFailureRecords.record(functionId, event, error)));
            }
        });
        // S3's notifications to queues (the resizer's): kept on disk under DIR/queues/ until the function is done.
        List<NotificationRule> notifications = NotificationRule.from(template);
        Map<String, LocalSqsQueue> queues = new LinkedHashMap<>();
        sentTo.values().forEach(queue -> queues.put(CDN_INVALIDATION_QUEUE, queue));
        for (NotificationRule rule : notifications) {
            if (rule.toQueue() && !queues.containsKey(rule.queueId())) {
                LocalSqsQueue queue = new LocalSqsQueue(LocalSqsQueue.Config.from(template, rule.queueId(), INSTANCES_PER_FUNCTION),
                        functions, options.dataDir().resolve("queues").resolve(rule.queueId()), options.dataDir().resolve("dlq"), retryDelay);
                queue.sendS3TestEventIfNew(rule.bucket());
                queues.put(rule.queueId(), queue);
            }
        }
        // MalwareScanning=guardduty: GuardDuty's stand-in scans new originals, tags them and sends its verdict to the
        // queues of the template's scan-result rules (the resizer's, which S3 then no longer notifies).
        ObjectTags objectTags = LocalS3Server.objectTagsOf(options.dataDir().resolve("s3"));
        Optional<LocalMalwareProtection> malwareProtection = LocalMalwareProtection.from(template,
                LocalMalwareProtection.Settings.fromSystemProperties(), options.dataDir(), objectTags);
        for (String queueId : malwareProtection.map(LocalMalwareProtection::targetQueues).orElse(List.of())) {
            if (!queues.containsKey(queueId)) {
                queues.put(queueId, new LocalSqsQueue(LocalSqsQueue.Config.from(template, queueId, INSTANCES_PER_FUNCTION),
                        functions, options.dataDir().resolve("queues").resolve(queueId), options.dataDir().resolve("dlq"), retryDelay));
            }
        }
        // The API's reprocess requests go to the resizer's queue, beside S3's notifications.
        if (queues.containsKey(RESIZER_QUEUE)) {
            sentTo.put(SqsSendMessage.RESIZER_QUEUE_URL, queues.get(RESIZER_QUEUE));
        }
        List<NotifyingBlobStore> notifyingStore = new ArrayList<>(1);
        LocalS3Server s3 = new LocalS3Server(options.dataDir().resolve("s3"), options.s3Port(), origins,
                store -> remember(notifyingStore, new NotifyingBlobStore(store, notifications, (rule, event) -> {
                    if (rule.toQueue()) {
                        queues.get(rule.queueId()).send(new String(event, StandardCharsets.UTF_8));
                    } else {
                        invoker.submit(rule.functionId(), event);
                    }
                }, (createdIn, key, eTag) -> malwareProtection.ifPresent(scanner -> scanner.objectCreated(createdIn, key, eTag)))));
        s3.ensureBucket(bucket);
        cdn.objectTags(key -> objectTags.of(bucket, key));
        // S3 Inventory's reports (and the repair sweep's cursor) go to the inventory bucket, as in AWS.
        LocalInventory inventory = LocalInventory.from(template, bucket);
        inventory.destinationBuckets().forEach(s3::ensureBucket);
        String cdnBaseUrl = "http://127.0.0.1:" + cdn.port();
        Map<String, String> overrides = new LinkedHashMap<>(overrides(s3, cdnBaseUrl, LocalKeys.privateKeyFile(keys, "cloudfront")));
        overrides.putAll(eventOverrides(aws.url(), webhookSecret));
        // The layer's libvips in Lambda; here the same pinned package for this machine, fetched once into the cache.
        overrides.put("LIBVIPS_PATH", SharpLibvips.library().toString());
        overrides.putAll(heicLayer(template));
        if (template.exists(LocalRepairSweep.FUNCTION)) {
            // The sweep reads the local inventory bucket; its repairs go to the resizer's local queue (RESIZER_QUEUE_URL).
            overrides.put("INVENTORY_BUCKET", template.resolve(template.properties("InventoryBucket").get("BucketName")));
        }
        overrides.putAll(options.functionSettings());
        functions.configure(overrides);
        functions.initialiseAll();
        Optional<LocalRepairSweep> repair = template.exists(LocalRepairSweep.FUNCTION)
                ? Optional.of(new LocalRepairSweep(template, functions, inventory, s3.client())) : Optional.empty();
        repair.ifPresent(sweep -> api.repairWith(sweep::runNow));
        // S3 Lifecycle on a simulated clock, on demand: expired objects leave through the store, as deletes by S3.
        LocalLifecycle lifecycle = LocalLifecycle.from(template, name -> everyObject(s3, name), s3.objectTags(),
                notifyingStore.get(0)::expireByLifecycle);
        api.reprocessWith((all, owner, lines) -> LocalReprocess.inRunningStack(functions, s3.client(), bucket, all, owner,
                (done, total) -> lines.accept("progress " + done + "/" + total), failure -> lines.accept("failed " + failure)).line());
        api.lifecycleWith((at, after) -> lifecycle.run(LocalLifecycle.instant(at, after, Instant.now())).json());
        LocalSqsQueue resizerQueue = queues.get(RESIZER_QUEUE);
        if (resizerQueue != null) {
            api.redriveWith(() -> "{\"queue\":\"" + RESIZER_QUEUE + "\",\"moved\":" + resizerQueue.redriveDeadLetters() + "}");
        }
        String issuer = template.parameterValue("JwtIssuer").orElse("https://auth.example.com/");
        List<String> audiences = List.of(template.parameterValue("JwtAudience").orElse("mediagate").split(","));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("bucket", bucket);
        config.put("s3Endpoint", s3.endpoint().toString());
        config.put("cdnBaseUrl", cdnBaseUrl);
        config.put("keyPairId", KEY_PAIR_ID);
        config.put("issuer", issuer);
        config.put("audience", audiences.get(0));
        config.put("webhookUrl", options.webhookUrl().map(URI::toString).orElse(null));
        config.put("webhookSecret", Files.readString(webhookSecret).trim());
        cdn.start(s3.client(), cdnBaseUrl);
        api.start(new DevTokens(issuerKeys, issuer, audiences, Clock.systemUTC()), config, router::recent);
        // Polling starts once every function is initialised: messages kept from a killed run are handled now.
        queues.values().forEach(LocalSqsQueue::start);
        malwareProtection.ifPresent(scanner -> scanner.start(s3.client(), (queueId, body) -> queues.get(queueId).send(body)));
        invoker.resume();
        webhooks.ifPresent(LocalWebhookQueue::resume);
        repair.ifPresent(LocalRepairSweep::start);
        return new LocalStack(s3, invoker, api, cdn, bucket, functions, aws, router, webhooks, List.copyOf(queues.values()),
                malwareProtection, repair);
    }

    private static NotifyingBlobStore remember(List<NotifyingBlobStore> holder, NotifyingBlobStore store) {
        holder.add(store);
        return store;
    }

    /** Every object of a local bucket; none when the bucket does not exist here. */
    private static List<software.amazon.awssdk.services.s3.model.S3Object> everyObject(LocalS3Server s3, String bucket) {
        try {
            return s3.client().listObjectsV2Paginator(list -> list.bucket(bucket)).contents().stream().toList();
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            return List.of();
        }
    }

    /** The event functions' view: the bus and queue stand-ins, the webhook secret's file instead of its ARN. */
    static Map<String, String> eventOverrides(String awsEndpoint, Path webhookSecret) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("EVENT_BUS_NAME", LocalEventBus.BUS_NAME);
        values.put("AWS_ENDPOINT_URL_EVENTBRIDGE", awsEndpoint);
        values.put("AWS_ENDPOINT_URL_SQS", awsEndpoint);
        values.put("CDN_INVALIDATION_QUEUE_URL", SqsSendMessage.CDN_INVALIDATION_QUEUE_URL);
        values.put("RESIZER_QUEUE_URL", SqsSendMessage.RESIZER_QUEUE_URL);
        values.put("WEBHOOK_SECRET_ARN", "");
        values.put("WEBHOOK_SECRET_FILE", webhookSecret.toString());
        values.put("WEBHOOK_QUEUE_URL", awsEndpoint + "/" + SamTemplate.LOCAL_ACCOUNT_ID + "/mediagate-webhooks");
        return values;
    }

    /** What the functions see on top of the template's environment: local endpoints, the dev key file, dev credentials. */
    static Map<String, String> overrides(LocalS3Server s3, String cdnBaseUrl, Path cloudFrontPrivateKey) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        values.put("S3_FORCE_PATH_STYLE", "true");
        values.put("CDN_BASE_URL", cdnBaseUrl);
        values.put("CDN_KEY_PAIR_ID", KEY_PAIR_ID);
        values.put("CDN_PRIVATE_KEY_SECRET_ID", "");
        values.put("CDN_PRIVATE_KEY_FILE", cloudFrontPrivateKey.toString());
        // The local edge stands in for the distribution, CreateInvalidation included.
        values.put("CDN_DISTRIBUTION_ID", CloudFrontInvalidations.DISTRIBUTION_ID);
        values.put("AWS_ENDPOINT_URL_CLOUDFRONT", cdnBaseUrl);
        values.put("aws.accessKeyId", LocalS3Server.ACCESS_KEY);
        values.put("aws.secretAccessKey", LocalS3Server.SECRET_KEY);
        values.put("aws.region", SamTemplate.LOCAL_REGION);
        return values;
    }

    /** The line that tells a person (and a script) the stack is up, with its three URLs. */
    public String readyLine() {
        return "mediagate local stack ready: api=" + apiUrl() + " s3=" + s3.endpoint() + " cdn=" + cdnUrl();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + api.port();
    }

    public String cdnUrl() {
        return "http://127.0.0.1:" + cdn.port();
    }

    /** The media bucket, as the template names it for the local account and region. */
    public String bucket() {
        return bucket;
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    /** An S3 client with the stack's own credentials, as an operator with the console would look into the bucket. */
    public S3Client s3Client() {
        return s3.client();
    }

    /** Every {@code CreateInvalidation} the edge received, oldest first. */
    public List<CloudFrontInvalidations.Invalidation> cdnInvalidations() {
        return cdn.invalidations();
    }

    /** The last events published on the bus, oldest first ({@code GET /_local/events}). */
    public List<JsonNode> recentEvents() {
        return events.recent();
    }

    /** Every initialised instance of a function (a handler object in this JVM, or its process's stand-in). */
    public List<Object> functionInstances(String logicalId) {
        return functions.handlers(logicalId);
    }

    /** One run of the repair sweep now (a fresh inventory report first); what the function returned. */
    public String repairSweep() {
        return repair.orElseThrow(() -> new IllegalStateException("template.yaml has no " + LocalRepairSweep.FUNCTION)).runNow();
    }

    /**
     * The resizer's failure queue redriven, as {@code aws sqs start-message-move-task --source-arn <ResizerFailureQueueArn>}
     * does in AWS: its dead letters ({@code DIR/dlq/}) back on {@code ResizerQueue}. Returns how many moved.
     */
    public int redriveResizerFailures() {
        return queues.stream().filter(queue -> queue.config().queueId().equals(RESIZER_QUEUE)).findFirst()
                .orElseThrow(() -> new IllegalStateException("template.yaml has no " + RESIZER_QUEUE))
                .redriveDeadLetters();
    }

    /** S3 events, queued messages, invocations and webhook deliveries not yet handled or dead-lettered. */
    public int pendingWork() {
        return invoker.pending() + webhooks.map(LocalWebhookQueue::pending).orElse(0)
                + queues.stream().mapToInt(LocalSqsQueue::pending).sum();
    }

    @Override
    public void close() {
        repair.ifPresent(LocalRepairSweep::close);
        api.close();
        cdn.close();
        malwareProtection.ifPresent(LocalMalwareProtection::close);
        queues.forEach(LocalSqsQueue::close);
        invoker.close();
        webhooks.ifPresent(LocalWebhookQueue::close);
        aws.close();
        try {
            s3.close();
        } catch (Exception e) {
            System.err.println("S3Proxy did not stop cleanly: " + e.getMessage());
        }
        if (dataDirectory != null) {
            dataDirectory.close();
        }
    }

    /** Writes to standard error while a handler runs, so standard output carries only the result (as sam does). */
    static PrintStream stderrAsStdout() {
        PrintStream original = System.out;
        System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8));
        return original;
    }

    /**
     * With {@code HeicSupport=true} the template attaches the HEIC layer and points the resizer's {@code LIBHEIF_PATH}
     * at {@code /opt/lib}: here the same layer, built as {@code sam build} lays it out ({@link HeicLayer}), once into
     * the cache. Without it, nothing: the resizer reads no HEIC, as in Lambda.
     */
    static Map<String, String> heicLayer(SamTemplate template) {
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            if (template.exists(function) && template.environment(function).containsKey("LIBHEIF_PATH")) {
                return Map.of("LIBHEIF_PATH", HeicLayer.library().toString());
            }
        }
        return Map.of();
    }

}
