package dev.mediagate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.local.LocalStack;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One large file through the local stack, as a browser sends it: a single presigned PUT against a multipart upload
 * with 4 parts in flight, interleaved round by round in the same run; then how long the resizer takes to call each
 * file ready (a document is checked by its first bytes only) against a small document's.
 */
public final class MultipartBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IN_FLIGHT = 4;
    private static final long GIB = 1024L * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String api;
    private final String token;

    private MultipartBench(String api) throws Exception {
        this.api = api;
        this.token = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(api + "/_local/token?sub=bench")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("token").asText();
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path data = Files.createTempDirectory("mediagate-multipart-bench");
        Path file = data.resolve("big.pdf");
        writeDocument(file, GIB);
        // Single PUTs up to 5 GiB (S3's limit), so the same 1 GiB file can go either way; multipart when asked.
        LocalStack stack = LocalStack.start(new LocalStack.Options(data, 0, 0, 0, Path.of("template.yaml"))
                .withParameter("MaxUploadBytes", String.valueOf(2 * GIB))
                .withParameter("MultipartThresholdBytes", String.valueOf(5 * GIB)), Duration.ofSeconds(1));
        try {
            MultipartBench bench = new MultipartBench(stack.apiUrl());
            // The functions' first invocations (init included) happen before anything is measured.
            Path small = data.resolve("small.pdf");
            writeDocument(small, 64 * 1024);
            bench.readyMillis(bench.singlePut(small).fileId());
            Timed smallPut = bench.singlePut(small);
            System.out.printf("ready after upload: 64 KiB PDF %.0f ms%n", bench.readyMillis(smallPut.fileId()));
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                Timed single = bench.singlePut(file);
                double singleReady = bench.readyMillis(single.fileId());
                Timed parts = bench.multipart(file);
                double partsReady = bench.readyMillis(parts.fileId());
                double ratio = single.seconds() / parts.seconds();
                ratios.add(ratio);
                System.out.printf("round %d: single PUT %.0f MiB/s (%.1f s), multipart x%d %.0f MiB/s (%.1f s), multipart/single %.2f%n",
                        round, mibPerSecond(single), single.seconds(), IN_FLIGHT, mibPerSecond(parts), parts.seconds(), ratio);
                System.out.printf("round %d: ready after upload: 1 GiB PDF %.0f ms (single), %.0f ms (multipart)%n", round,
                        singleReady, partsReady);
                bench.delete(single.fileId());
                bench.delete(parts.fileId());
            }
            ratios.sort(Comparator.naturalOrder());
            System.out.printf("median multipart/single throughput over %d rounds: %.2f%n", rounds, ratios.get(rounds / 2));
        } finally {
            stack.close();
            try (var files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        // The stack's HTTP servers keep non-daemon threads.
        System.exit(0);
    }

    private record Timed(String fileId, long bytes, double seconds) {
    }

    private Timed singlePut(Path file) throws Exception {
        long size = Files.size(file);
        long started = System.nanoTime();
        JsonNode created = post("/uploads", "{\"filename\":\"big.pdf\",\"contentType\":\"application/pdf\",\"size\":" + size + "}");
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(created.at("/upload/url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofFile(file));
        created.at("/upload/headers").properties().forEach(header -> put.header(header.getKey(), header.getValue().asText()));
        HttpResponse<String> response = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
        check(response, 200);
        return new Timed(created.get("fileId").asText(), size, (System.nanoTime() - started) / 1e9);
    }

    /** As the demo page sends a file: URLs signed 100 at a time, 4 parts in flight, then the completion. */
    private Timed multipart(Path file) throws Exception {
        long size = Files.size(file);
        long started = System.nanoTime();
        JsonNode created = post("/uploads", "{\"filename\":\"big.pdf\",\"contentType\":\"application/pdf\",\"size\":" + size
                + ",\"multipart\":true}");
        String fileId = created.get("fileId").asText();
        String uploadId = created.at("/upload/uploadId").asText();
        long partSize = created.at("/upload/partSize").asLong();
        int partCount = created.at("/upload/partCount").asInt();
        Map<Integer, String> etags = new ConcurrentHashMap<>();
        ExecutorService workers = Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            for (int first = 1; first <= partCount; first += 100) {
                ObjectNode sign = JSON.createObjectNode().put("uploadId", uploadId);
                ArrayNode numbers = sign.putArray("partNumbers");
                for (int number = first; number < Math.min(first + 100, partCount + 1); number++) {
                    numbers.add(number);
                }
                ConcurrentLinkedQueue<JsonNode> queue = new ConcurrentLinkedQueue<>();
                post("/uploads/" + fileId + "/parts", sign.toString()).get("parts").forEach(queue::add);
                List<Future<?>> running = new ArrayList<>();
                for (int worker = 0; worker < IN_FLIGHT; worker++) {
                    running.add(workers.submit(() -> {
                        byte[] buffer = new byte[Math.toIntExact(partSize)];
                        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                            for (JsonNode part = queue.poll(); part != null; part = queue.poll()) {
                                int number = part.get("partNumber").asInt();
                                int length = part.get("size").asInt();
                                in.seek((number - 1) * partSize);
                                in.readFully(buffer, 0, length);
                                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                                        .PUT(HttpRequest.BodyPublishers.ofByteArray(buffer, 0, length)).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                check(response, 200);
                                etags.put(number, response.headers().firstValue("ETag").orElseThrow());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> done : running) {
                    done.get();
                }
            }
        } finally {
            workers.shutdown();
        }
        ObjectNode complete = JSON.createObjectNode().put("uploadId", uploadId);
        ArrayNode parts = complete.putArray("parts");
        etags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> parts.addObject().put("partNumber", entry.getKey()).put("etag", entry.getValue()));
        post("/uploads/" + fileId + "/complete", complete.toString());
        return new Timed(fileId, size, (System.nanoTime() - started) / 1e9);
    }

    /** From now (the upload just ended) until {@code GET /files} says the file is no longer processing. */
    private double readyMillis(String fileId) throws Exception {
        long uploadedAt = System.nanoTime();
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/files/" + fileId))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && !JSON.readTree(response.body()).get("status").asText().equals("processing")) {
                return (System.nanoTime() - uploadedAt) / 1e6;
            }
            Thread.sleep(5);
        }
    }

    private void delete(String fileId) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(api + "/files/" + fileId)).header("Authorization", "Bearer " + token)
                .DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static void check(HttpResponse<String> response, int expected) {
        if (response.statusCode() != expected) {
            throw new IllegalStateException("S3 answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static double mibPerSecond(Timed timed) {
        return timed.bytes() / 1048576.0 / timed.seconds();
    }

    /** A PDF by its magic bytes followed by random bytes, written in 8 MiB blocks. */
    private static void writeDocument(Path file, long size) throws IOException {
        byte[] block = new byte[8 * 1024 * 1024];
        Random random = new Random(42);
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                if (written == 0) {
                    byte[] magic = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(magic, 0, block, 0, magic.length);
                }
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }
}
