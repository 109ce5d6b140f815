package dev.mediagate.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** One local stack on free ports for every test class of this JVM that needs it, stopped when the JVM exits. */
public final class RunningStack {

    private static LocalStack stack;
    private static Path data;
    private static WebhookReceiver receiver;

    private RunningStack() {
    }

    public static synchronized LocalStack get() throws Exception {
        if (stack == null) {
            data = Files.createTempDirectory("mediagate-test-stack");
            receiver = new WebhookReceiver();
            stack = LocalStack.start(new LocalStack.Options(data, 0, 0, 0, Checkout.ROOT.resolve("template.yaml"))
                    .withWebhookUrl(receiver.url()).withNativeFunctionsInThisJvm()
                    // Room for multipart uploads: above 32 MiB they go in parts (MultipartUploadOverHttpIT, the browser tests).
                    .withParameter("MaxUploadBytes", "1073741824").withParameter("MultipartThresholdBytes", "33554432"),
                    Duration.ofMillis(200));
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
        }
        return stack;
    }

    /** Waits until no S3 event, publication or webhook delivery is pending (at most a minute). */
    public static void awaitQuiet() throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
        while (stack.pendingWork() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** The HTTP receiver the stack's webhooks go to (its --webhook-url). */
    public static synchronized WebhookReceiver receiver() throws Exception {
        get();
        return receiver;
    }

    /** The stack's data directory: keys, S3 files, dead letters. */
    public static synchronized Path data() throws Exception {
        get();
        return data;
    }
}
