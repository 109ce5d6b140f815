package dev.mediagate.bench;

import dev.mediagate.api.StreamLambdaHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One warm {@code POST /uploads} through the whole handler: event JSON in, response JSON out. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CreateUploadBenchmark {

    private StreamLambdaHandler handler;
    private byte[] event;

    @Setup
    public void start() {
        BenchEnvironment.apply();
        handler = new StreamLambdaHandler();
        event = BenchEnvironment.event("api-create-upload.json");
    }

    @Benchmark
    public byte[] createUpload() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return out.toByteArray();
    }
}
