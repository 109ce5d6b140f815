package dev.mediagate.bench;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3BucketEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3Entity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import dev.mediagate.local.events.LocalEventBus;
import dev.mediagate.local.lambda.SharpLibvips;
import dev.mediagate.resizer.ImageResizerHandler;
import dev.mediagate.testing.LocalS3;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The whole resizer handler (S3 reads, the 12 MP photo's default variants as JPEG + WebP, the writes, the manifest, the
 * event) against S3Proxy, with its variant writes one after the other ({@code VARIANT_WRITES_IN_FLIGHT=1}, as before
 * #29) and concurrent (the default), for a private upload (6 objects) and a public one (12: each also under
 * {@code public/}). Each configuration runs in a fresh JVM with the resizer's flags, interleaved round by round so a busy
 * minute of this shared machine hits all of them; each JVM makes {@code WARMUP} uploads, then measures {@code RUNS}. It
 * prints the median handler time, the median span of the variant writes, and the HTTP requests one upload sends, by
 * service and operation. S3Proxy runs in the driver's JVM, on loopback.
 *
 * <p>Usage: {@code ResizerWrites RESIZER_JVM_FLAGS ROUNDS} (driver) or {@code ResizerWrites child VISIBILITY KEY...}.
 */
public final class ResizerWrites {

    private static final int WARMUP = 2;
    private static final int RUNS = 4;
    /** S3's median for small requests is "tens of milliseconds" (see {@link S3RequestCounter}). */
    private static final int EMULATED_LATENCY_MS = 30;

    private ResizerWrites() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("child")) {
            child(Arrays.asList(args).subList(2, args.length));
            return;
        }
        List<String> flags = List.of(args[0].trim().split("\\s+"));
        int rounds = Integer.parseInt(args[1]);
        LocalS3 s3 = LocalS3.shared();
        LocalEventBus.shared();
        byte[] photo = ResizeBenchmark.photoLike(4000, 3000);
        Path interceptors = interceptorsFile();
        Owner owner = Owner.of("https://bench.invalid/", "resizer-writes");
        Map<String, List<String>> results = new LinkedHashMap<>();
        for (String latency : List.of("0", String.valueOf(EMULATED_LATENCY_MS))) {
            for (String visibility : List.of("private", "public")) {
                for (String inFlight : List.of("1", String.valueOf(defaultInFlight()))) {
                    results.put(visibility + " " + inFlight + " " + latency, new ArrayList<>());
                }
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, List<String>> configuration : results.entrySet()) {
                String[] parts = configuration.getKey().split(" ");
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < WARMUP + RUNS; i++) {
                    String key = MediaKeys.original(owner, FileId.random());
                    s3.client().putObject(put -> put.bucket(LocalS3.BUCKET).key(key).contentType("image/jpeg")
                            .metadata(Map.of("visibility", parts[0])), RequestBody.fromBytes(photo));
                    keys.add(key);
                }
                configuration.getValue().addAll(run(flags, interceptors, s3, parts[1], parts[0], parts[2], keys));
            }
        }
        System.out.println("| S3 latency | upload | variant writes in flight | handler, median | variant writes' span, median | HTTP requests per upload (mean) |");
        System.out.println("|---|---|---|---|---|---|");
        results.forEach((configuration, lines) -> {
            String[] parts = configuration.split(" ");
            System.out.printf("| %s | %s | %s | %d ms | %d ms | %s |%n", parts[2].equals("0") ? "S3Proxy (loopback)" : "+" + parts[2] + " ms",
                    parts[0], parts[1].equals("1") ? "1 (sequential)" : parts[1], median(lines, "handler="), median(lines, "writes="),
                    meanRequests(lines));
        });
        System.exit(0);
    }

    private static int defaultInFlight() throws ReflectiveOperationException {
        // The resizer's own default, whatever it is now.
        var field = Class.forName("dev.mediagate.resizer.VariantWrites").getDeclaredField("DEFAULT_IN_FLIGHT");
        field.setAccessible(true);
        return field.getInt(null);
    }

    /** A class path entry holding only the SDK's global interceptors file, naming {@link S3RequestCounter}. */
    private static Path interceptorsFile() throws Exception {
        Path root = Path.of("bench", "target", "request-counter");
        Path file = root.resolve("software/amazon/awssdk/global/handlers/execution.interceptors");
        Files.createDirectories(file.getParent());
        Files.writeString(file, S3RequestCounter.class.getName() + "\n");
        return root.toAbsolutePath();
    }

    /** Each operation's count summed over the measured uploads, divided by their number. */
    private static String meanRequests(List<String> lines) {
        Map<String, Long> total = new java.util.TreeMap<>();
        long uploads = lines.stream().filter(line -> line.startsWith("run ")).count();
        lines.stream().filter(line -> line.startsWith("requests ")).forEach(line -> {
            for (String item : line.substring(9).split(", ")) {
                int space = item.lastIndexOf(' ');
                total.merge(item.substring(0, space), Long.parseLong(item.substring(space + 1)), Long::sum);
            }
        });
        return total.entrySet().stream().map(entry -> entry.getKey() + " "
                + (entry.getValue() % uploads == 0 ? String.valueOf(entry.getValue() / uploads)
                        : String.format(java.util.Locale.ROOT, "%.2f", (double) entry.getValue() / uploads)))
                .collect(Collectors.joining(", "));
    }

    private static long median(List<String> lines, String field) {
        long[] values = lines.stream().filter(line -> line.contains(field))
                .mapToLong(line -> Long.parseLong(line.replaceAll(".*" + field + "(\\d+).*", "$1"))).sorted().toArray();
        return values.length == 0 ? -1 : values[(values.length - 1) / 2];
    }

    private static List<String> run(List<String> flags, Path interceptors, LocalS3 s3, String inFlight, String visibility,
            String latencyMillis, List<String> keys) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", interceptors + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                ResizerWrites.class.getName(), "child", visibility));
        command.addAll(keys);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("MEDIA_BUCKET", LocalS3.BUCKET);
        environment.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        environment.put("S3_FORCE_PATH_STYLE", "true");
        environment.put("AWS_ACCESS_KEY_ID", LocalS3.ACCESS_KEY);
        environment.put("AWS_SECRET_ACCESS_KEY", LocalS3.SECRET_KEY);
        environment.put("AWS_REGION", LocalS3.REGION);
        environment.put("EVENT_BUS_NAME", LocalEventBus.BUS_NAME);
        environment.put("AWS_ENDPOINT_URL_EVENTBRIDGE", System.getProperty("AWS_ENDPOINT_URL_EVENTBRIDGE"));
        environment.put("LIBVIPS_PATH", SharpLibvips.library().toString());
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048");
        environment.put("AWS_LAMBDA_LOG_LEVEL", "WARN");
        environment.put("VARIANT_WRITES_IN_FLIGHT", inFlight);
        environment.put("BENCH_S3_LATENCY_MS", latencyMillis);
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        process.waitFor();
        List<String> lines = output.toString().lines().filter(line -> line.startsWith("run ") || line.startsWith("requests ")).toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException("the resizer JVM reported nothing:\n" + output);
        }
        return lines;
    }

    private static void child(List<String> keys) {
        ImageResizerHandler handler = new ImageResizerHandler();
        String bucket = System.getenv("MEDIA_BUCKET");
        for (int i = 0; i < keys.size(); i++) {
            S3RequestCounter.reset();
            long started = System.nanoTime();
            String result = handler.handle(event(bucket, keys.get(i)));
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (!result.contains("\"ready\"")) {
                throw new IllegalStateException(result);
            }
            if (i >= WARMUP) {
                System.out.println("run handler=" + millis + " writes=" + S3RequestCounter.variantWriteSpanMillis());
                System.out.println("requests " + S3RequestCounter.counts().entrySet().stream()
                        .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", ")));
            }
        }
        System.exit(0);
    }

    private static S3Event event(String bucket, String key) {
        S3Entity entity = new S3Entity("bench", new S3BucketEntity(bucket, null, "arn:aws:s3:::" + bucket),
                new S3ObjectEntity(key, 0L, null, null, null), "1.0");
        return new S3Event(List.of(new S3EventNotificationRecord("us-east-1", "ObjectCreated:Put", "aws:s3",
                "2026-01-01T00:00:00.000Z", "2.1", null, null, entity, null)));
    }
}
