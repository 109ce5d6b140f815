package dev.mediagate.bench;

import dev.mediagate.api.upload.S3PutPresigner;
import dev.mediagate.core.aws.S3EndpointConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The signing alone of one {@code UploadPart} URL (its exact Content-Length signed), as the parts route makes each. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PartUrlSigningBenchmark {

    private final S3PutPresigner presigner = new S3PutPresigner(new S3EndpointConfig(Optional.empty(), false), Region.EU_WEST_1,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAMEDIAGATEBENCH00", "mediagate-bench-secret-key-000000000000")),
            Clock.systemUTC());
    private final Map<String, String> part = Map.of("partNumber", "17", "uploadId", BenchEnvironment.UPLOAD_ID);
    private final Map<String, String> length = Map.of("Content-Length", "8388608");

    @Benchmark
    public URI signOnePartUrl() {
        return presigner.presign("mediagate-bench-000000000000-eu-west-1",
                "originals/ksbadydqkpcosn4zkgtwasmyjuchops2/0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d", part, length,
                Duration.ofMinutes(5)).url();
    }
}
