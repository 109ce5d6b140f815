package dev.mediagate.local;

import dev.mediagate.testing.SharpLibvips;
import dev.mediagate.testing.CloudFrontInvalidations;
import dev.mediagate.testing.CloudFrontVerifier;
import dev.mediagate.testing.LocalEventBus;
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
import java.util.concurrent.CountDownLatch;

/**
 * mediagate on a laptop, no Docker, no AWS account: S3Proxy as S3, the real handlers behind a local HTTP API with the
 * JWT check, S3 events to the resizer with Lambda's retries, a CloudFront-like edge, and a demo page. Everything is read
 * from {@code template.yaml}, so the local stack and the deployed one cannot drift apart.
 */
public final class LocalStack implements AutoCloseable {

    static final String KEY_PAIR_ID = "K2MEDIAGATELOCAL";
    /** Concurrent instances per function, as Lambda would scale out; two cores rarely need more. */
    static final int INSTANCES_PER_FUNCTION = 4;
    private static final String USAGE = """
            usage: java -jar local/target/mediagate-local.jar [--data-dir DIR] [--api-port 3000] [--s3-port 9000] [--cdn-port 9100] [--webhook-url URL] [--template template.yaml]
                                                             [--parameter-overrides "Name=Value ..."]
                   java -jar local/target/mediagate-local.jar invoke <LogicalId> --event events/<file>.json [--data-dir DIR] [--template template.yaml]
                   java -jar local/target/mediagate-local.jar load [--clients 200] [--template template.yaml]""";

    private final LocalS3Server s3;
    private final AsyncInvoker invoker;
    private final ApiGateway api;
    private final CdnEdge cdn;
    private final String bucket;
    private final FunctionHost functions;
    private final LocalAwsEndpoint aws;
    private final LocalEventRouter events;
    private final Optional<LocalWebhookQueue> webhooks;

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

        static Options parse(List<String> args) {
            Path dataDir = Path.of(".mediagate");
            int apiPort = 3000;
            int s3Port = 9000;
            int cdnPort = 9100;
            Path template = Path.of("template.yaml");
            Optional<URI> webhookUrl = Optional.empty();
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                String value = i + 1 < args.size() ? args.get(i + 1) : null;
                switch (args.get(i)) {
                    case "--data-dir" -> dataDir = Path.of(required(args.get(i), value));
                    case "--api-port" -> apiPort = port(args.get(i), value);
                    case "--s3-port" -> s3Port = port(args.get(i), value);
                    case "--cdn-port" -> cdnPort = port(args.get(i), value);
                    case "--template" -> template = Path.of(required(args.get(i), value));
                    case "--webhook-url" -> webhookUrl = Optional.of(webhookUrl(required(args.get(i), value)));
                    case "--parameter-overrides" -> parameters.putAll(parameterOverrides(required(args.get(i), value)));
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i) + "\n" + USAGE);
                }
                i++;
            }
            return new Options(dataDir.toAbsolutePath(), apiPort, s3Port, cdnPort, template.toAbsolutePath(), webhookUrl, true,
                    Map.of(), Map.copyOf(parameters));
        }

        /** SAM's form: {@code Name=Value} pairs separated by spaces. */
        private static Map<String, String> parameterOverrides(String value) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String pair : value.trim().split("\\s+")) {
                int equals = pair.indexOf('=');
                if (equals < 1) {
                    throw new IllegalArgumentException("--parameter-overrides takes Name=Value pairs separated by spaces, got '"
                            + pair + "'");
                }
                parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
            return parameters;
        }

        private static URI webhookUrl(String value) {
            try {
                URI url = new URI(value);
                if ((url.getScheme().equals("http") || url.getScheme().equals("https")) && url.getHost() != null) {
                    return url;
                }
            } catch (java.net.URISyntaxException | NullPointerException e) {
                // reported below
            }
            throw new IllegalArgumentException("--webhook-url must be an http(s) URL");
        }

        private static String required(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            return value;
        }

        private static int port(String option, String value) {
            try {
                int port = Integer.parseInt(required(option, value));
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " must be a port number (0 picks a free one)");
        }
    }

    private LocalStack(LocalS3Server s3, AsyncInvoker invoker, ApiGateway api, CdnEdge cdn, String bucket, FunctionHost functions,
            LocalAwsEndpoint aws, LocalEventRouter events, Optional<LocalWebhookQueue> webhooks) {
        this.s3 = s3;
        this.invoker = invoker;
        this.api = api;
        this.cdn = cdn;
        this.bucket = bucket;
        this.functions = functions;
        this.aws = aws;
        this.events = events;
        this.webhooks = webhooks;
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        try {
            if (!arguments.isEmpty() && arguments.get(0).equals("invoke")) {
                System.exit(LocalInvoke.run(arguments.subList(1, arguments.size())));
            }
            if (!arguments.isEmpty() && arguments.get(0).equals("load")) {
                System.exit(LoadDriver.run(arguments.subList(1, arguments.size())));
            }
            if (arguments.contains("--help") || arguments.contains("-h")) {
                System.out.println(USAGE);
                return;
            }
            LocalStack stack = start(Options.parse(arguments), Duration.ofSeconds(1));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.close();
                stopped.countDown();
            }));
            System.out.println(stack.readyLine());
            stopped.await();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (java.net.BindException e) {
            System.err.println("a port is already in use (is another local stack running?): " + e.getMessage()
                    + "; pick others with --api-port, --s3-port, --cdn-port");
            System.exit(1);
        }
    }

    /** Starts every part; {@code retryDelay} is the first of the async and webhook retry delays. */
    public static LocalStack start(Options options, Duration retryDelay) throws Exception {
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
        ApiGateway api = new ApiGateway(options.apiPort(), HttpRoute.from(template), functions);
        List<String> origins = new ArrayList<>(List.of("http://127.0.0.1:" + api.port(), "http://localhost:" + api.port()));
        template.parameterValue("AllowedOrigins").ifPresent(list -> List.of(list.split(",")).forEach(origin -> {
            if (!origins.contains(origin.trim())) {
                origins.add(origin.trim());
            }
        }));
        String bucket = template.environment("MediaApiFunction").get("MEDIA_BUCKET");
        CdnEdge cdn = new CdnEdge(options.cdnPort(), new CloudFrontVerifier(Map.of(KEY_PAIR_ID, cloudFront.getPublic())), bucket, origins);
        AsyncInvoker invoker = new AsyncInvoker(functions, options.dataDir().resolve("dlq"), retryDelay, INSTANCES_PER_FUNCTION);
        String webhookQueueArn = "arn:aws:sqs:" + SamTemplate.LOCAL_REGION + ":" + SamTemplate.LOCAL_ACCOUNT_ID + ":mediagate-webhooks";
        Optional<LocalWebhookQueue> webhooks = template.exists(LocalWebhookQueue.FUNCTION)
                ? Optional.of(new LocalWebhookQueue(functions, options.dataDir().resolve("webhook-dlq"), retryDelay, webhookQueueArn))
                : Optional.empty();
        LocalEventRouter router = new LocalEventRouter(webhooks, invoker, failurePublisher(template));
        LocalAwsEndpoint aws = new LocalAwsEndpoint(new LocalEventBus(router::route));
        invoker.onFailure((functionId, event, error) -> {
            if (onFailureGoesToTheBus(template, functionId)) {
                router.route(new LocalEventBus.Entry(LocalEventBus.BUS_NAME, "lambda", EVENT_PUBLISHER_FAILURE_TYPE,
                        failureRecord(functionId, event, error)));
            }
        });
        LocalS3Server s3 = new LocalS3Server(options.dataDir().resolve("s3"), options.s3Port(), origins,
                store -> new NotifyingBlobStore(store, NotificationRule.from(template), invoker));
        s3.ensureBucket(bucket);
        String cdnBaseUrl = "http://127.0.0.1:" + cdn.port();
        Map<String, String> overrides = new LinkedHashMap<>(overrides(s3, cdnBaseUrl, LocalKeys.privateKeyFile(keys, "cloudfront")));
        overrides.putAll(eventOverrides(aws.url(), webhookSecret));
        // The layer's libvips in Lambda; here the same pinned package for this machine, fetched once into the cache.
        overrides.put("LIBVIPS_PATH", SharpLibvips.library().toString());
        overrides.putAll(options.functionSettings());
        functions.configure(overrides);
        functions.initialiseAll();
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
        return new LocalStack(s3, invoker, api, cdn, bucket, functions, aws, router, webhooks);
    }

    static final String EVENT_PUBLISHER_FAILURE_TYPE = "Lambda Function Invocation Result - Failure";

    /** The event functions' view: the bus and queue stand-ins, the webhook secret's file instead of its ARN. */
    static Map<String, String> eventOverrides(String awsEndpoint, Path webhookSecret) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("EVENT_BUS_NAME", LocalEventBus.BUS_NAME);
        values.put("AWS_ENDPOINT_URL_EVENTBRIDGE", awsEndpoint);
        values.put("AWS_ENDPOINT_URL_SQS", awsEndpoint);
        values.put("WEBHOOK_SECRET_ARN", "");
        values.put("WEBHOOK_SECRET_FILE", webhookSecret.toString());
        values.put("WEBHOOK_QUEUE_URL", awsEndpoint + "/" + SamTemplate.LOCAL_ACCOUNT_ID + "/mediagate-webhooks");
        return values;
    }

    /** The function a rule sends the resizer's failure records to (an EventBridgeRule source matching Lambda's failures). */
    static String failurePublisher(SamTemplate template) {
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            for (Object value : SamTemplate.map(template.properties(function).get("Events")).values()) {
                Map<String, Object> event = SamTemplate.map(value);
                if ("EventBridgeRule".equals(event.get("Type"))
                        && String.valueOf(SamTemplate.map(event.get("Properties")).get("Pattern")).contains(EVENT_PUBLISHER_FAILURE_TYPE)) {
                    return function;
                }
            }
        }
        return null;
    }

    private static boolean onFailureGoesToTheBus(SamTemplate template, String functionId) {
        Map<String, Object> onFailure = SamTemplate.map(SamTemplate.map(SamTemplate.map(
                template.properties(functionId).get("EventInvokeConfig")).get("DestinationConfig")).get("OnFailure"));
        return "EventBridge".equals(onFailure.get("Type"));
    }

    /** Lambda's on-failure destination record for an asynchronous invocation whose retries are exhausted. */
    private static String failureRecord(String functionId, byte[] event, RuntimeException error) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        try {
            var record = json.createObjectNode();
            record.put("version", "1.0");
            record.put("timestamp", Instant.now().toString());
            var context = record.putObject("requestContext");
            context.put("requestId", java.util.UUID.randomUUID().toString());
            context.put("functionArn", "arn:aws:lambda:" + SamTemplate.LOCAL_REGION + ":" + SamTemplate.LOCAL_ACCOUNT_ID
                    + ":function:" + functionId + ":$LATEST");
            context.put("condition", "RetriesExhausted");
            context.put("approximateInvokeCount", AsyncInvoker.RETRIES + 1);
            record.set("requestPayload", json.readTree(event));
            record.putObject("responseContext").put("statusCode", 200).put("executedVersion", "$LATEST").put("functionError", "Unhandled");
            Throwable cause = error.getCause() != null && error.getMessage() != null && error.getMessage().contains("failed") ? error.getCause() : error;
            record.putObject("responsePayload").put("errorMessage", String.valueOf(cause.getMessage()))
                    .put("errorType", cause.getClass().getName());
            return json.writeValueAsString(record);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
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

    String readyLine() {
        return "mediagate local stack ready: api=" + apiUrl() + " s3=" + s3.endpoint() + " cdn=" + cdnUrl();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + api.port();
    }

    String cdnUrl() {
        return "http://127.0.0.1:" + cdn.port();
    }

    LocalS3Server s3() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    FunctionHost functions() {
        return functions;
    }

    CdnEdge cdn() {
        return cdn;
    }

    LocalEventRouter events() {
        return events;
    }

    Optional<LocalWebhookQueue> webhooks() {
        return webhooks;
    }

    AsyncInvoker invoker() {
        return invoker;
    }

    @Override
    public void close() {
        api.close();
        cdn.close();
        invoker.close();
        webhooks.ifPresent(LocalWebhookQueue::close);
        aws.close();
        try {
            s3.close();
        } catch (Exception e) {
            System.err.println("S3Proxy did not stop cleanly: " + e.getMessage());
        }
    }

    /** Writes to standard error while a handler runs, so standard output carries only the result (as sam does). */
    static PrintStream stderrAsStdout() {
        PrintStream original = System.out;
        System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8));
        return original;
    }
}
