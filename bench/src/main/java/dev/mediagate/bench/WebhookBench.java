package dev.mediagate.bench;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mediagate.core.config.Settings;
import dev.mediagate.local.LocalStack;
import dev.mediagate.webhooks.WebhookDeliveryHandler;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook figures. {@code throughput}: WebhookDeliveryFunction's handler delivering batches of 10 events to a loopback
 * receiver, events per second (bench/run pins it to one core). {@code latency N}: the whole local stack with a receiver,
 * N uploads, the time from S3 confirming each manifest write to its {@code file.ready} webhook arriving (p50, p99).
 */
public final class WebhookBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookBench() {
    }

    /** Exits when done: the receivers' threads would keep the JVM alive. */
    public static void main(String[] args) {
        try {
            if (args.length > 0 && args[0].equals("latency")) {
                latency(args.length > 1 ? Integer.parseInt(args[1]) : 100);
            } else {
                throughput();
            }
            System.exit(0);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void throughput() throws Exception {
        AtomicLong received = new AtomicLong();
        HttpServer receiver = receiver((fileIdAndType, body) -> received.incrementAndGet());
        Path secret = Files.createTempFile("webhook-secret", "");
        Files.writeString(secret, secret());
        Map<String, String> environment = Map.of(
                "WEBHOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks",
                "WEBHOOK_SECRET_FILE", secret.toString(),
                "WEBHOOK_QUEUE_URL", "http://127.0.0.1:9/000000000000/bench");
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "AKIAMEDIAGATEBENCH00");
        System.setProperty("aws.secretAccessKey", "mediagate-bench-secret-key-000000000000");
        // The function's environment, given as the local stack gives it to a handler sharing its JVM.
        Constructor<WebhookDeliveryHandler> withSettings = WebhookDeliveryHandler.class.getDeclaredConstructor(Settings.class);
        withSettings.setAccessible(true);
        WebhookDeliveryHandler handler = withSettings.newInstance(new Settings(environment::get));
        String body = JSON.readTree(BenchEnvironment.event("sqs-webhook-delivery.json")).at("/Records/0/body").asText();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            handler.handleRequest(batch(body), null);
        }
        long before = received.get();
        long started = System.nanoTime();
        long batches = 0;
        end = started + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            if (!handler.handleRequest(batch(body), null).getBatchItemFailures().isEmpty()) {
                throw new IllegalStateException("a delivery failed");
            }
            batches++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("webhook deliveries: %.0f events/s (%d batches of 10 in %.1f s, %d received)%n",
                batches * 10 / seconds, batches, seconds, received.get() - before);
        receiver.stop(0);
    }

    private static void latency(int uploads) throws Exception {
        Map<String, Long> readyArrived = new ConcurrentHashMap<>();
        HttpServer receiver = receiver((fileIdAndType, body) -> {
            if (fileIdAndType.endsWith(" file.ready")) {
                readyArrived.putIfAbsent(fileIdAndType.split(" ")[0], System.nanoTime());
            }
        });
        Path data = Files.createTempDirectory("mediagate-webhook-bench");
        LocalStack stack = LocalStack.start(new LocalStack.Options(data, 0, 0, 0, Path.of("template.yaml"))
                .withWebhookUrl(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks")), Duration.ofSeconds(1));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String token = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/_local/token?sub=bench")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("token").asText();
        byte[] photo = jpeg();
        List<String> fileIds = new ArrayList<>();
        for (int i = 0; i < uploads; i++) {
            JsonNode upload = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/uploads"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"filename\":\"p.jpg\",\"contentType\":\"image/jpeg\",\"size\":" + photo.length + "}"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.at("/upload/url").asText()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(photo));
            upload.at("/upload/headers").properties().forEach(h -> put.header(h.getKey(), h.getValue().asText()));
            http.send(put.build(), HttpResponse.BodyHandlers.discarding());
            fileIds.add(upload.get("fileId").asText());
            Thread.sleep(100);
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (fileIds.stream().anyMatch(id -> !readyArrived.containsKey(id)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<Double> millis = new ArrayList<>();
        for (String id : fileIds) {
            Long written = ManifestWriteClock.WRITTEN.get(id);
            Long arrived = readyArrived.get(id);
            if (written != null && arrived != null) {
                millis.add((arrived - written) / 1e6);
            }
        }
        millis.sort(Double::compare);
        System.out.printf("manifest written -> file.ready webhook received, %d of %d uploads: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                millis.size(), uploads, percentile(millis, 0.50), percentile(millis, 0.99), millis.get(millis.size() - 1));
        stack.close();
        receiver.stop(0);
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    @FunctionalInterface
    private interface Arrival {
        void record(String fileIdAndType, byte[] body);
    }

    private static HttpServer receiver(Arrival arrival) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            JsonNode event = JSON.readTree(body);
            arrival.record(event.at("/data/fileId").asText() + " " + event.path("type").asText(), body);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static SQSEvent batch(String body) {
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(UUID.randomUUID().toString());
            message.setReceiptHandle("bench");
            message.setBody(body);
            message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            messages.add(message);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    private static String secret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static byte[] jpeg() throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(640, 480, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, java.awt.Color.ORANGE, 640, 480, java.awt.Color.BLUE));
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
