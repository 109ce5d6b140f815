package dev.mediagate.bench;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3BucketEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3Entity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import dev.mediagate.core.aws.S3Clients;
import dev.mediagate.core.aws.S3EndpointConfig;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.FileType;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.imaging.MediaOutcome;
import dev.mediagate.imaging.NativeBytes;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.resizer.ImageResizerHandler;
import dev.mediagate.local.events.LocalEventBus;
import dev.mediagate.testing.LocalS3;
import dev.mediagate.local.lambda.SharpLibvips;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Peak resident memory and time of the resizer reading one large original, in a fresh JVM per run with the resizer's
 * flags: the JVM's whole RSS (heap, libvips' native memory, the original's bytes) from start to the variants written.
 * {@code streamed} reads as the resizer now does (the S3 body streamed into native memory), {@code buffered} as it did
 * before, as a reference in the same run ({@code getObjectAsBytes().asByteArray()}, then the native copy libvips
 * reads); both then run the same image pipeline. {@code handler} is the whole handler on the streamed path, S3 writes
 * and events included. The original is a 12 MP photo padded to the size with bytes after its end (which decoders never
 * read), so the decode is the same at every size and only the holding of the bytes differs. S3 is S3Proxy in the
 * driver's JVM, not in the measured one.
 *
 * <p>Usage: {@code OriginalMemory RESIZER_JVM_FLAGS SIZE_MIB...} (driver) or {@code OriginalMemory child MODE KEY}.
 */
public final class OriginalMemory {

    private OriginalMemory() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("child")) {
            child(args[1], args[2]);
            return;
        }
        List<String> flags = List.of(args[0].trim().split("\\s+"));
        LocalS3 s3 = LocalS3.shared();
        LocalEventBus.shared();
        byte[] photo = ResizeBenchmark.photoLike(4000, 3000);
        Owner owner = Owner.of("https://bench.invalid/", "original-memory");
        System.out.println("| original | reading | peak RSS | read into native memory | read + variants made |");
        System.out.println("|---|---|---|---|---|");
        for (int i = 1; i < args.length; i++) {
            long size = Long.parseLong(args[i]) << 20;
            String key = MediaKeys.original(owner, FileId.random());
            s3.client().putObject(put -> put.bucket(LocalS3.BUCKET).key(key).contentType("image/jpeg"),
                    RequestBody.fromContentProvider(() -> padded(photo, size), size, "image/jpeg"));
            for (String mode : List.of("buffered", "streamed", "handler")) {
                String result = run(flags, s3, mode, key);
                System.out.printf("| %d MiB | %s | %s |%n", size >> 20, mode, result);
                s3.client().deleteObject(delete -> delete.bucket(LocalS3.BUCKET).key(key.replace("originals/", "variants/") + "/manifest.json"));
            }
            s3.client().deleteObject(delete -> delete.bucket(LocalS3.BUCKET).key(key));
        }
        System.exit(0);
    }

    private static java.io.InputStream padded(byte[] photo, long size) {
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(photo), new java.io.InputStream() {
            private long left = size - photo.length;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int count = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + count, (byte) 0);
                left -= count;
                return count;
            }
        });
    }

    private static String run(List<String> flags, LocalS3 s3, String mode, String key) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OriginalMemory.class.getName(), "child", mode, key));
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
        environment.put("MAX_IMAGE_BYTES", String.valueOf(ImageResizerHandler.MAX_IMAGE_BYTES_LIMIT));
        environment.put("AWS_LAMBDA_LOG_LEVEL", "WARN");
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        process.waitFor();
        String text = output.toString();
        return text.lines().filter(line -> line.startsWith("result: ")).map(line -> line.substring(8)).findFirst()
                .orElse("failed: " + text.lines().filter(line -> line.contains("Error") || line.contains("Exception"))
                        .findFirst().orElse(text.strip()));
    }

    private static void child(String mode, String key) throws Exception {
        Settings settings = Settings.fromEnvironment();
        String bucket = settings.string("MEDIA_BUCKET", "");
        long started = System.nanoTime();
        long read = 0;
        try {
            if (mode.equals("handler")) {
                String result = new ImageResizerHandler().handle(event(bucket, key));
                if (!result.contains("\"ready\"")) {
                    throw new IllegalStateException(result);
                }
            } else {
                S3Client s3 = S3Clients.client(S3EndpointConfig.from(settings));
                ImagePipeline pipeline = new ImagePipeline(ResizeConfig.from(settings), Libvips.from(settings));
                started = System.nanoTime();
                NativeBytes bytes = switch (mode) {
                    case "buffered" -> NativeBytes.copyOf(s3.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asByteArray());
                    case "streamed" -> {
                        try (ResponseInputStream<GetObjectResponse> body = s3.getObject(get -> get.bucket(bucket).key(key))) {
                            yield NativeBytes.read(body, body.response().contentLength());
                        }
                    }
                    default -> throw new IllegalArgumentException(mode);
                };
                read = System.nanoTime() - started;
                try (bytes) {
                    if (!(pipeline.process(bytes, FileType.JPEG) instanceof MediaOutcome.Image)) {
                        throw new IllegalStateException("not processed");
                    }
                }
            }
        } catch (OutOfMemoryError e) {
            System.out.println("result: OutOfMemoryError (" + e.getMessage() + ") | after " + (System.nanoTime() - started) / 1_000_000 + " ms |");
            System.exit(0);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("result: " + peakRssMiB() + " MiB | " + (read == 0 ? "" : read / 1_000_000 + " ms") + " | " + millis + " ms");
        System.exit(0);
    }

    private static long peakRssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmHWM");
    }

    private static S3Event event(String bucket, String key) {
        S3Entity entity = new S3Entity("bench", new S3BucketEntity(bucket, null, "arn:aws:s3:::" + bucket),
                new S3ObjectEntity(key, 0L, null, null, null), "1.0");
        return new S3Event(List.of(new S3EventNotificationRecord("us-east-1", "ObjectCreated:Put", "aws:s3",
                "2026-01-01T00:00:00.000Z", "2.1", null, null, entity, null)));
    }
}
