package dev.mediagate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.api.StreamLambdaHandler;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Owner;
import dev.mediagate.testing.CdnKeys;
import dev.mediagate.testing.LocalS3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code POST /links} through the whole handler against the in-process S3 (S3Proxy, SigV4 checked): a first call for a
 * page of files never signed before (two RSA signatures per file: the original, the variants) and the same page again
 * within the window (none).
 * Each run ends by printing the RSA signatures per call.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class LinksBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Owner OWNER = Owner.of("https://auth.example.com/", "alice");

    @Param({"20", "100"})
    public int files;

    private StreamLambdaHandler handler;
    private byte[] repeatedPage;
    private long calls;

    @Setup(Level.Trial)
    public void start() throws IOException {
        LocalS3.shared();
        CdnKeys.configure();
        handler = new StreamLambdaHandler();
        repeatedPage = page(files);
        invoke(repeatedPage);
    }

    /** A page of files no call has signed yet, made before each measured call. */
    @State(Scope.Thread)
    public static class FreshPage {
        byte[] event;

        @Setup(Level.Iteration)
        public void make(LinksBenchmark benchmark) throws IOException {
            event = benchmark.page(benchmark.files);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 10)
    @Measurement(iterations = 40)
    public byte[] firstCall(FreshPage page) throws IOException {
        return invoke(page.event);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public byte[] repeatedCall() throws IOException {
        return invoke(repeatedPage);
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.printf("%nRSA signatures per call: %.3f (%d signatures, %d calls of %d files)%n",
                (double) handler.cdnSignatures() / calls, handler.cdnSignatures(), calls, files);
    }

    private byte[] invoke(byte[] event) throws IOException {
        calls++;
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return out.toByteArray();
    }

    /** {@code events/api-service-links.json} naming {@code count} new ready files (their manifests put in S3). */
    byte[] page(int count) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("files");
        for (int i = 0; i < count; i++) {
            String fileId = UUID.randomUUID().toString();
            putManifest(fileId);
            list.addObject().put("owner", OWNER.value()).put("fileId", fileId);
        }
        ObjectNode event = (ObjectNode) JSON.readTree(BenchEnvironment.event("api-service-links.json"));
        String text = JSON.writeValueAsString(body);
        event.put("body", text);
        ((ObjectNode) event.get("headers")).put("content-length", String.valueOf(text.length()));
        return JSON.writeValueAsBytes(event);
    }

    private static void putManifest(String fileId) {
        String prefix = "variants/" + OWNER.value() + "/" + fileId + "/";
        Map<String, Manifest.VariantEntry> variants = Map.of(
                "thumb", new Manifest.VariantEntry(prefix + "thumb.jpg", 320, 240, "image/jpeg", 12_000),
                "medium", new Manifest.VariantEntry(prefix + "medium.jpg", 1024, 768, "image/jpeg", 90_000),
                "large", new Manifest.VariantEntry(prefix + "large.jpg", 2048, 1536, "image/jpeg", 300_000));
        Manifest manifest = new Manifest(1, fileId, Manifest.READY, null, "private",
                new Manifest.Source("originals/" + OWNER.value() + "/" + fileId, "etag", "IMG.jpg", "image/jpeg", 2_000_000,
                        4000, 3000, null, null), variants, "data:image/jpeg;base64,AA", "2026-11-27T10:00:00Z", null, null);
        try {
            LocalS3.shared().client().putObject(p -> p.bucket(LocalS3.BUCKET).key(prefix + "manifest.json")
                    .contentType("application/json"), RequestBody.fromBytes(manifest.toJson()));
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot put a manifest into the bench S3", e));
        }
    }
}
