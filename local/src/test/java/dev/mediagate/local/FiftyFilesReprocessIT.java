package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.Manifest;
import dev.mediagate.local.s3.LocalS3Server;
import dev.mediagate.testing.Images;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Part of issue #25's demonstration, over a data directory: 50 files made with the default configuration; then one
 * more variant and {@code VariantFormats=webp,avif}: {@code reprocess --stale} gives every file the new variant and
 * format under new keys while the previous keys stay (marked superseded, still served), and {@code --stale} again makes
 * nothing. (Not shown here: the grace period's expiry on a simulated clock and one {@code file.ready} per file, which
 * need the running stack to carry the work: docs/reprocessing.md.)
 */
class FiftyFilesReprocessIT {

    static final String BUCKET = LocalReprocessIT.BUCKET;
    static final String OWNER = LocalReprocessIT.OWNER;
    static final int FILES = 50;

    @TempDir
    Path data;

    @Test
    void oneMoreVariantAndAvifReachEveryFileUnderNewKeysAndASecondRunMakesNothing() throws Exception {
        List<String> fileIds = new ArrayList<>();
        byte[] picture = Images.jpeg(Images.quadrants(200, 150));
        try (LocalS3Server s3 = new LocalS3Server(data.resolve("s3"), 0, List.of(), store -> store)) {
            s3.ensureBucket(BUCKET);
            for (int i = 0; i < FILES; i++) {
                String fileId = UUID.randomUUID().toString();
                fileIds.add(fileId);
                s3.client().putObject(p -> p.bucket(BUCKET).key("originals/" + OWNER + "/" + fileId).contentType("image/jpeg"),
                        RequestBody.fromBytes(picture));
            }
        }
        LocalStack.Options defaults = options(Map.of());
        LocalStack.Options changed = options(Map.of("Variants", "thumb=320x320,medium=1024x1024,large=2048x2048,tiny=64x64",
                "VariantFormats", "webp,avif"));

        assertThat(LocalReprocess.run(false, Optional.empty(), defaults).line())
                .isEqualTo("reprocess: 50 files, 50 succeeded, 0 failed, 0 already current");
        Map<String, Manifest> before = manifests(fileIds);
        assertThat(before.values()).allSatisfy(manifest -> assertThat(manifest.variants()).doesNotContainKey("tiny"));

        assertThat(LocalReprocess.run(false, Optional.empty(), changed).line())
                .isEqualTo("reprocess: 50 files, 50 succeeded, 0 failed, 0 already current");
        Map<String, Manifest> after = manifests(fileIds);
        try (LocalS3Server s3 = new LocalS3Server(data.resolve("s3"), 0, List.of(), store -> store)) {
            S3Client client = s3.client();
            for (String fileId : fileIds) {
                Manifest old = before.get(fileId);
                Manifest now = after.get(fileId);
                assertThat(now.variants()).as(fileId).containsKey("tiny");
                assertThat(now.variants().get("thumb").alternates()).as(fileId).containsKeys("image/webp", "image/avif");
                assertThat(now.variants().get("thumb").key()).as("new keys").isNotEqualTo(old.variants().get("thumb").key())
                        .contains("/" + now.generation() + "/");
                var superseded = client.headObject(h -> h.bucket(BUCKET).key(old.variants().get("thumb").key()));
                assertThat(superseded.metadata()).as("the old key still serves, marked superseded").containsKey("superseded-at");
                assertThat(client.getObjectTagging(g -> g.bucket(BUCKET).key(old.variants().get("thumb").key())).tagSet())
                        .as("tagged for the lifecycle rule expire-superseded-variants")
                        .contains(software.amazon.awssdk.services.s3.model.Tag.builder().key("mediagate-status").value("superseded").build());
            }
        }

        assertThat(LocalReprocess.run(false, Optional.empty(), changed).line())
                .isEqualTo("reprocess: 50 files, 0 succeeded, 0 failed, 50 already current");
        assertThat(manifests(fileIds)).isEqualTo(after);
    }

    private Map<String, Manifest> manifests(List<String> fileIds) throws Exception {
        Map<String, Manifest> manifests = new java.util.HashMap<>();
        try (LocalS3Server s3 = new LocalS3Server(data.resolve("s3"), 0, List.of(), store -> store)) {
            for (String fileId : fileIds) {
                manifests.put(fileId, Manifest.read(s3.client(), BUCKET, "variants/" + OWNER + "/" + fileId + "/manifest.json").orElseThrow());
            }
        }
        return manifests;
    }

    private LocalStack.Options options(Map<String, String> parameters) {
        return new LocalStack.Options(data, 0, 0, 0, Checkout.ROOT.resolve("template.yaml"), Optional.empty(), true, Map.of(),
                parameters);
    }
}
