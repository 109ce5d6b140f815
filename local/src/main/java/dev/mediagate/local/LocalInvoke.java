package dev.mediagate.local;

import dev.mediagate.local.events.LocalAwsEndpoint;
import dev.mediagate.local.lambda.FunctionHost;
import dev.mediagate.local.s3.LocalS3Server;
import dev.mediagate.local.sam.SamTemplate;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code invoke <LogicalId> --event FILE}: one function, the environment {@code template.yaml} gives it, the local S3
 * under {@code --data-dir}; the handler's result on standard output and its logs on standard error, like {@code sam local invoke}.
 */
public final class LocalInvoke {

    private LocalInvoke() {
    }

    /** Runs {@code function} of the template with the event file's bytes; what it returned goes to standard output. */
    public static int run(String function, Path event, LocalStack.Options options) throws Exception {
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
                LocalAwsEndpoint aws = new LocalAwsEndpoint(new dev.mediagate.local.events.LocalEventBus(entry ->
                        System.err.println("event put on the bus: " + entry.detailType() + " " + entry.detail())))) {
            FunctionHost functions = new FunctionHost(template, LocalStack.INSTANCES_PER_FUNCTION, true);
            java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>(LocalStack.overrides(s3,
                    "http://127.0.0.1:" + options.cdnPort(), LocalKeys.privateKeyFile(options.dataDir().resolve("keys"), "cloudfront")));
            overrides.putAll(LocalStack.eventOverrides(aws.url(), webhookSecret));
            // WebhookDeliveryFunction delivers to --webhook-url, or to a receiver that is not there: the result then
            // shows the failed delivery.
            overrides.put("WEBHOOK_URL", options.webhookUrl().map(Object::toString).orElse("http://127.0.0.1:9/"));
            overrides.put("LIBVIPS_PATH", dev.mediagate.local.lambda.SharpLibvips.library().toString());
            overrides.putAll(LocalStack.heicLayer(template));
            if (template.exists(LocalRepairSweep.FUNCTION)) {
                // RepairSweepFunction reads the inventory bucket (the stack's repair command writes a report there first).
                String inventory = template.resolve(template.properties("InventoryBucket").get("BucketName"));
                overrides.put("INVENTORY_BUCKET", inventory);
                s3.ensureBucket(inventory);
            }
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
