package dev.mediagate.resizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.Manifest;
import dev.mediagate.testing.LocalS3;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Conditional manifest writes against S3Proxy, as the resizer and the API make them. */
class ManifestWritesTest {

    private static final String KEY = "variants/ksbadydqkpcosn4zkgtwasmyjuchops2/6f1c2f0e-8d4b-4c57-9a31-0c5b7d2e9f10/manifest.json";

    private final S3Client s3 = LocalS3.shared().client();

    @Test
    void aRetriedWriteWhoseLostAttemptWasStoredIsTheWritersOwn() {
        s3.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(KEY));
        Manifest manifest = rejectedAt("2026-12-02T14:00:00.123Z");
        assertThat(Manifest.putIfUnchanged(s3, LocalS3.BUCKET, KEY, manifest, Optional.empty())).isPresent();

        // The SDK's retry of a PUT whose answer was lost meets its own first attempt: If-None-Match fails with 412.
        Optional<Manifest.Stored> retried = Manifest.putIfUnchanged(s3, LocalS3.BUCKET, KEY, manifest, Optional.empty());

        assertThat(retried).hasValueSatisfying(stored -> assertThat(stored.manifest()).isEqualTo(manifest));
    }

    @Test
    void anotherWritersManifestStands() {
        s3.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(KEY));
        assertThat(Manifest.putIfUnchanged(s3, LocalS3.BUCKET, KEY, rejectedAt("2026-12-02T14:00:00.123Z"), Optional.empty()))
                .isPresent();

        Optional<Manifest.Stored> later = Manifest.putIfUnchanged(s3, LocalS3.BUCKET, KEY,
                rejectedAt("2026-12-02T14:00:01.456Z"), Optional.empty());

        assertThat(later).isEmpty();
        assertThat(Manifest.read(s3, LocalS3.BUCKET, KEY)).hasValueSatisfying(
                standing -> assertThat(standing.processedAt()).isEqualTo("2026-12-02T14:00:00.123Z"));
    }

    private static Manifest rejectedAt(String processedAt) {
        return new Manifest(Manifest.VERSION, "6f1c2f0e-8d4b-4c57-9a31-0c5b7d2e9f10", Manifest.REJECTED, "not-an-image",
                "private", null, Map.of(), null, processedAt, null, null);
    }
}
