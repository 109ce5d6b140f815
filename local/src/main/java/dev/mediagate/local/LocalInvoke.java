package dev.mediagate.local;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code invoke <LogicalId> --event FILE}: one function, the environment {@code template.yaml} gives it, the local S3
 * under {@code --data-dir}; the handler's result on standard output and its logs on standard error, like {@code sam local invoke}.
 */
final class LocalInvoke {

    private LocalInvoke() {
    }

    static int run(List<String> args) throws Exception {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            throw new IllegalArgumentException("invoke needs a function's logical id, e.g. invoke MediaApiFunction --event events/api-create-upload.json");
        }
        String function = args.get(0);
        Path event = null;
        List<String> stackArgs = new java.util.ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).equals("--event") && i + 1 < args.size()) {
                event = Path.of(args.get(++i));
            } else {
                stackArgs.add(args.get(i));
            }
        }
        if (event == null || !Files.isRegularFile(event)) {
            throw new IllegalArgumentException("invoke needs --event with an existing JSON file");
        }
        LocalStack.Options options = LocalStack.Options.parse(stackArgs);
        SamTemplate template = SamTemplate.load(options.template());
        if (!template.logicalIdsOfType("AWS::Serverless::Function").contains(function)) {
            throw new IllegalArgumentException("template.yaml has no function " + function + "; it has "
                    + template.logicalIdsOfType("AWS::Serverless::Function"));
        }
        LocalKeys.loadOrCreate(options.dataDir().resolve("keys"), "cloudfront");
        // The functions read their settings from system properties: leave them as they were (a stack may share this JVM).
        java.util.Properties before = (java.util.Properties) System.getProperties().clone();
        Path webhookSecret = LocalKeys.webhookSecret(options.dataDir().resolve("keys"));
        try (LocalS3Server s3 = new LocalS3Server(options.dataDir().resolve("s3"), 0, List.of(), store -> store);
                LocalAwsEndpoint aws = new LocalAwsEndpoint(new dev.mediagate.testing.LocalEventBus(entry ->
                        System.err.println("event put on the bus: " + entry.detailType() + " " + entry.detail())))) {
            FunctionHost functions = new FunctionHost(template, LocalStack.INSTANCES_PER_FUNCTION, true);
            java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>(LocalStack.overrides(s3,
                    "http://127.0.0.1:" + options.cdnPort(), LocalKeys.privateKeyFile(options.dataDir().resolve("keys"), "cloudfront")));
            overrides.putAll(LocalStack.eventOverrides(aws.url(), webhookSecret));
            // WebhookDeliveryFunction delivers to --webhook-url, or to a receiver that is not there: the result then
            // shows the failed delivery.
            overrides.put("WEBHOOK_URL", options.webhookUrl().map(Object::toString).orElse("http://127.0.0.1:9/"));
            overrides.put("LIBVIPS_PATH", dev.mediagate.testing.SharpLibvips.library().toString());
            functions.configure(overrides);
            s3.ensureBucket(template.environment(function).get("MEDIA_BUCKET"));
            PrintStream stdout = LocalStack.stderrAsStdout();
            byte[] result;
            try {
                result = functions.invoke(function, Files.readAllBytes(event));
            } finally {
                System.setOut(stdout);
            }
            System.out.println(new String(result, StandardCharsets.UTF_8));
            return 0;
        } finally {
            System.setProperties(before);
        }
    }
}
