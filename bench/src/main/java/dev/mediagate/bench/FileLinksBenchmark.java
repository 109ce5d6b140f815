package dev.mediagate.bench;

import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import dev.mediagate.api.cdn.CdnSigner;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The signing behind {@code GET /files/{id}} for a file with 3 variants (4 URLs): a first view (a file never signed in
 * this window) and a repeated view; each run ends by printing the RSA signatures per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FileLinksBenchmark {

    private CdnSigner signer;
    private final Owner owner = Owner.of("https://auth.example.com/", "alice");
    private final FileId repeated = FileId.random();

    @Setup
    public void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        signer = new CdnSigner("https://d111111abcdef8.cloudfront.net", "K2MEDIAGATEBENCH",
                generator.generateKeyPair().getPrivate(), Duration.ofMinutes(10), Clock.systemUTC());
    }

    private long calls;

    @Benchmark
    public CdnSigner.Links firstView() {
        calls++;
        FileId fileId = FileId.random();
        return signer.fileLinks(owner, fileId, keys(fileId));
    }

    @Benchmark
    public CdnSigner.Links repeatedView() {
        calls++;
        return signer.fileLinks(owner, repeated, keys(repeated));
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.printf("%nRSA signatures per call: %.3f (%d signatures, %d calls)%n",
                (double) signer.signatures() / calls, signer.signatures(), calls);
    }

    private List<String> keys(FileId fileId) {
        return List.of(MediaKeys.original(owner, fileId), MediaKeys.variant(owner, fileId, "thumb", "jpg"),
                MediaKeys.variant(owner, fileId, "medium", "jpg"), MediaKeys.variant(owner, fileId, "large", "jpg"));
    }
}
