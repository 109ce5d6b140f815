package dev.mediagate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.local.LocalStack;
import dev.mediagate.local.cli.CommandLine;
import dev.mediagate.testing.Images;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench/run load [N] [--rate R] [stack options]} ({@code --clients N} here): starts the local stack on free ports
 * and lets N clients each ask for an upload URL, PUT a real JPEG (50 KB to 8 MB) and poll until the file is ready or
 * rejected, polling as {@code @mediagate/client} does (250 ms, then × 1.5 up to 3 s). With {@code --rate R} the clients
 * arrive R a second (an open arrival: a late answer does not slow the next arrival), otherwise all at once. Prints how
 * fast uploads were taken (the last PUT answered: the rate the queue filled at), how fast they were finished (the last
 * file ready: the resizer's drain rate), the deepest backlog, p50/p95/p99 of {@code POST /uploads}, of the PUT and of
 * time-to-ready (PUT answered → ready), peak memory, and how many uploads were lost or answered 5xx (exit code 1 if any).
 */
public final class LoadDriver {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GIVE_UP = Duration.ofMinutes(10);

    private LoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(List.of(args)));
    }

    static int run(List<String> args) throws Exception {
        int clients = 200;
        double rate = 0;
        List<String> stackArgs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--clients") && i + 1 < args.size()) {
                clients = Integer.parseInt(args.get(++i));
            } else if (args.get(i).equals("--rate") && i + 1 < args.size()) {
                rate = Double.parseDouble(args.get(++i));
                if (!(rate > 0)) {
                    throw new IllegalArgumentException("--rate takes uploads per second above 0, got " + args.get(i));
                }
            } else {
                stackArgs.add(args.get(i));
            }
        }
        Path data = Files.createTempDirectory("mediagate-load");
        List<String> withData = new ArrayList<>(List.of("--data-dir", data.toString(), "--api-port", "0", "--s3-port", "0", "--cdn-port", "0"));
        withData.addAll(stackArgs);
        LocalStack.Options options = CommandLine.parse(withData);
        List<byte[]> photos = List.of(photo(480, 360, 85), photo(1024, 768, 85), photo(2000, 1500, 90),
                photo(3000, 2000, 92), photo(3600, 2700, 94), photo(4000, 3000, 96));
        System.out.printf("photos: %s KiB%n", photos.stream().map(p -> String.valueOf(p.length / 1024)).toList());
        try (LocalStack stack = LocalStack.start(options, Duration.ofSeconds(1))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            Timings timings = new Timings();
            Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            AtomicInteger serverErrors = new AtomicInteger();
            AtomicInteger deepestBacklog = new AtomicInteger();
            long started = System.nanoTime();
            Thread backlog = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    deepestBacklog.accumulateAndGet(stack.pendingWork(), Math::max);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> runs = new ArrayList<>();
                for (int client = 0; client < clients; client++) {
                    if (rate > 0) {
                        long arrival = started + (long) (client / rate * 1e9);
                        Thread.sleep(Math.max(0, (arrival - System.nanoTime()) / 1_000_000));
                    }
                    byte[] photo = photos.get(client % photos.size());
                    String user = "load-" + client;
                    runs.add(pool.submit(() -> {
                        String outcome;
                        try {
                            outcome = oneUpload(http, stack.apiUrl(), user, photo, timings, serverErrors);
                        } catch (Exception e) {
                            outcome = "lost (" + e.getClass().getSimpleName() + ")";
                        }
                        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
            }
            backlog.interrupt();
            double seconds = (System.nanoTime() - started) / 1e9;
            double taken = (timings.lastPutAnswered.get() - started) / 1e9;
            int lost = outcomes.entrySet().stream().filter(e -> !e.getKey().equals("ready") && !e.getKey().startsWith("rejected"))
                    .mapToInt(e -> e.getValue().get()).sum();
            System.out.printf("clients: %d arriving %s; all taken (PUT answered) in %.1f s: %.1f uploads/s; all finished in %.1f s:"
                    + " %.1f uploads/s; deepest backlog %d messages%n", clients, rate > 0 ? rate + " a second" : "at once", taken,
                    clients / taken, seconds, clients / seconds, deepestBacklog.get());
            System.out.printf("POST /uploads %s; PUT %s; time to ready %s%n", percentiles(timings.create), percentiles(timings.put),
                    percentiles(timings.ready));
            System.out.printf("outcomes: %s; lost: %d; 5xx: %d; peak RSS of this JVM: %d MiB%n", outcomes, lost, serverErrors.get(), peakRssMiB());
            return lost == 0 && serverErrors.get() == 0 ? 0 : 1;
        }
    }

    /** Each upload's phases, in ms, and when the last PUT was answered. */
    private static final class Timings {
        final List<Long> create = Collections.synchronizedList(new ArrayList<>());
        final List<Long> put = Collections.synchronizedList(new ArrayList<>());
        final List<Long> ready = Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.atomic.AtomicLong lastPutAnswered = new java.util.concurrent.atomic.AtomicLong();
    }

    private static String oneUpload(HttpClient http, String api, String user, byte[] photo, Timings timings,
            AtomicInteger serverErrors) throws Exception {
        String token = JSON.readTree(send(http, HttpRequest.newBuilder(URI.create(api + "/_local/token?sub=" + user)).build(), serverErrors)
                .body()).get("token").asText();
        long start = System.nanoTime();
        HttpResponse<String> created = send(http, HttpRequest.newBuilder(URI.create(api + "/uploads"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"filename\":\"" + user + ".jpg\",\"contentType\":\"image/jpeg\",\"size\":" + photo.length + "}"))
                .build(), serverErrors);
        timings.create.add((System.nanoTime() - start) / 1_000_000);
        JsonNode upload = JSON.readTree(created.body());
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.at("/upload/url").asText())).PUT(HttpRequest.BodyPublishers.ofByteArray(photo));
        upload.at("/upload/headers").properties().forEach(h -> put.header(h.getKey(), h.getValue().asText()));
        long uploaded = System.nanoTime();
        int putStatus = send(http, put.build(), serverErrors).statusCode();
        long putAnswered = System.nanoTime();
        if (putStatus != 200) {
            return "lost (PUT refused)";
        }
        timings.put.add((putAnswered - uploaded) / 1_000_000);
        timings.lastPutAnswered.accumulateAndGet(putAnswered, Math::max);
        uploaded = putAnswered;
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        for (long pause = 250; System.nanoTime() < deadline; pause = Math.min(pause * 3 / 2, 3000)) {
            JsonNode file = JSON.readTree(send(http, HttpRequest.newBuilder(URI.create(api + "/files/" + upload.get("fileId").asText()))
                    .header("Authorization", "Bearer " + token).build(), serverErrors).body());
            String status = file.path("status").asText();
            if (status.equals("ready") || status.equals("rejected")) {
                timings.ready.add((System.nanoTime() - uploaded) / 1_000_000);
                return status.equals("ready") ? "ready" : "rejected:" + file.path("reason").asText();
            }
            Thread.sleep(pause);
        }
        return "lost (still processing)";
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request, AtomicInteger serverErrors) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 500) {
            serverErrors.incrementAndGet();
        }
        return response;
    }

    private static String percentiles(List<Long> values) {
        return String.format("p50 %d ms, p95 %d ms, p99 %d ms", percentile(values, 50), percentile(values, 95), percentile(values, 99));
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }

    /** A photo-like JPEG: smooth light plus sensor noise, so sizes grow as real photos do. */
    private static byte[] photo(int width, int height, int quality) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        Random noise = new Random(width);
        for (int y = 0, p = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int light = (int) (128 + 90 * Math.sin(x * 3.0 / width) * Math.cos(y * 2.0 / height));
                for (int c = 0; c < 3; c++, p++) {
                    data[p] = (byte) Math.max(0, Math.min(255, light + c * 20 + noise.nextInt(48) - 24));
                }
            }
        }
        return Images.jpeg(image, quality, false);
    }

    private static long peakRssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
