package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.Manifest;
import dev.mediagate.local.s3.LocalS3Server;
import dev.mediagate.testing.Images;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code reprocess} over a data directory: an original never processed is processed (the repair), a second
 * {@code --stale} finds it current, a configuration change (one more format) makes it stale, and {@code --all} makes a
 * current file again; the last line counts each as the contract says.
 */
class LocalReprocessIT {

    static final String BUCKET = "mediagate-dev-000000000000-us-east-1";
    static final String OWNER = "ksbadydqkpcosn4zkgtwasmyjuchops2";
    static final String FILE_ID = "0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";

    @TempDir
    Path data;

    @Test
    void reprocessesWhatIsStaleAndCountsTheRestAsCurrent() throws Exception {
        try (LocalS3Server s3 = new LocalS3Server(data.resolve("s3"), 0, List.of(), store -> store)) {
            s3.ensureBucket(BUCKET);
            s3.client().putObject(p -> p.bucket(BUCKET).key("originals/" + OWNER + "/" + FILE_ID).contentType("image/jpeg"),
                    RequestBody.fromBytes(Images.jpeg(Images.quadrants(640, 480))));
        }
        LocalStack.Options defaults = options(Map.of());
        LocalStack.Options withAvif = options(Map.of("VariantFormats", "webp,avif"));

        assertThat(LocalReprocess.run(false, Optional.empty(), defaults).line())
                .isEqualTo("reprocess: 1 files, 1 succeeded, 0 failed, 0 already current");
        assertThat(LocalReprocess.run(false, Optional.of(OWNER), defaults).line())
                .isEqualTo("reprocess: 1 files, 0 succeeded, 0 failed, 1 already current");
        assertThat(LocalReprocess.run(false, Optional.of("someoneelse"), defaults).line())
                .isEqualTo("reprocess: 0 files, 0 succeeded, 0 failed, 0 already current");
        assertThat(LocalReprocess.run(false, Optional.empty(), withAvif).line())
                .isEqualTo("reprocess: 1 files, 1 succeeded, 0 failed, 0 already current");
        Manifest avif = manifest();
        assertThat(avif.generation()).isNotNull();
        assertThat(avif.variants().get("thumb").alternates()).containsKeys("image/webp", "image/avif");
        assertThat(avif.variants().get("thumb").key()).contains("/" + avif.generation() + "/");
        assertThat(LocalReprocess.run(false, Optional.empty(), withAvif).line())
                .isEqualTo("reprocess: 1 files, 0 succeeded, 0 failed, 1 already current");
        assertThat(LocalReprocess.run(true, Optional.empty(), withAvif).line())
                .isEqualTo("reprocess: 1 files, 1 succeeded, 0 failed, 0 already current");
        assertThat(manifest().generation()).isNotEqualTo(avif.generation());
    }

    private Manifest manifest() throws Exception {
        try (LocalS3Server s3 = new LocalS3Server(data.resolve("s3"), 0, List.of(), store -> store)) {
            return Manifest.read(s3.client(), BUCKET, "variants/" + OWNER + "/" + FILE_ID + "/manifest.json").orElseThrow();
        }
    }

    private LocalStack.Options options(Map<String, String> parameters) {
        return new LocalStack.Options(data, 0, 0, 0, Checkout.ROOT.resolve("template.yaml"), Optional.empty(), true, Map.of(),
                parameters);
    }
}
