package dev.mediagate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.api.StreamLambdaHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A warm {@code POST /uploads/{fileId}/parts} through the whole handler for 1 and for 100 part URLs; the record and the
 * open-upload check come from a loopback S3 (BenchEnvironment). The difference between the two medians, over 99, is
 * the CPU one more part URL costs; the single-URL call is that plus the call's fixed cost (two S3 reads on loopback,
 * whose latency varies: hence medians).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UploadPartUrlsBenchmark {

    @Param({"1", "100"})
    public int partUrls;

    private StreamLambdaHandler handler;
    private byte[] event;

    @Setup
    public void start() throws IOException {
        BenchEnvironment.apply();
        handler = new StreamLambdaHandler();
        ObjectMapper json = new ObjectMapper();
        ObjectNode example = (ObjectNode) json.readTree(BenchEnvironment.event("api-sign-upload-parts.json"));
        String numbers = IntStream.rangeClosed(1, partUrls).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String body = "{\"uploadId\":\"" + BenchEnvironment.UPLOAD_ID + "\",\"partNumbers\":[" + numbers + "]}";
        example.put("body", body);
        ((ObjectNode) example.get("headers")).put("content-length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
        event = json.writeValueAsBytes(example);
        ByteArrayOutputStream check = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), check, null);
        if (!check.toString(StandardCharsets.UTF_8).contains("\"statusCode\":200")) {
            throw new IllegalStateException("the sign-parts event did not answer 200: " + check);
        }
    }

    @Benchmark
    public byte[] signParts() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return out.toByteArray();
    }
}
