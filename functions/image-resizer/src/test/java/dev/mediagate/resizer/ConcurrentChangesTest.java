package dev.mediagate.resizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.Deletions;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.MediaKeys.OriginalKey;
import dev.mediagate.core.files.Visibility;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.local.events.LocalEventBus;
import dev.mediagate.local.lambda.SharpLibvips;
import dev.mediagate.resizer.MediaProcessor.Step;
import dev.mediagate.testing.Images;
import dev.mediagate.testing.LocalS3;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@code DELETE} or a visibility change landing between two steps of a processing run, made deterministic by the
 * run's checkpoints: the request's S3 effects happen exactly there (as the API makes them: the deletion marker first,
 * then every key; a private manifest, then no public copy), and the run must not undo them.
 */
class ConcurrentChangesTest {

    private static final String ORIGINAL = ImageResizerHandlerTest.ORIGINAL;
    private static final String VARIANTS = ImageResizerHandlerTest.VARIANTS;
    private static final OriginalKey FILE = MediaKeys.parseOriginal(ORIGINAL).orElseThrow();
    private static final String MARKER = MediaKeys.deletionMarker(FILE.owner(), FILE.fileId());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3 = LocalS3.shared().client();
    private final LocalEventBus bus = LocalEventBus.shared();

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            s3.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void aDeleteAtAnyStepLeavesNothingOfThePublicFileBehind(Step step) throws Exception {
        putOriginal("public");

        JsonNode result = run(at(step, file -> deleteAsTheApiDoes()));

        assertThat(result.get("outcome").asText()).isEqualTo("skipped");
        assertThat(keys()).containsExactly(MARKER);
    }

    @Test
    void aRunThatStartsAfterTheDeleteBeganAnnouncesNothing() throws Exception {
        putOriginal("private");
        Deletions.mark(s3, LocalS3.BUCKET, FILE.owner(), FILE.fileId());
        int before = bus.entries().size();

        JsonNode result = run(Checkpoints.NONE);

        assertThat(result.get("reason").asText()).isEqualTo("the file was deleted");
        assertThat(bus.entries().subList(before, bus.entries().size())).isEmpty();
        assertThat(keys()).containsExactlyInAnyOrder(MARKER, ORIGINAL);
    }

    /**
     * A duplicate delivery starts before the first run writes its manifest; the first run finishes and the owner makes
     * the public upload private; then the duplicate writes: it must not make it public again.
     */
    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"ORIGINAL_READ", "VARIANTS_WRITTEN"})
    void aVisibilityChangeMadeWhileADuplicateRunWorksStaysMade(Step step) throws Exception {
        putOriginal("public");

        JsonNode duplicate = run(at(step, file -> {
            run(Checkpoints.NONE);
            makePrivateAsTheApiDoes();
        }));

        assertThat(duplicate.get("outcome").asText()).isEqualTo("skipped");
        assertThat(manifest().visibility()).isEqualTo("private");
        assertThat(manifest().variants().get("thumb").key()).startsWith(VARIANTS);
        assertThat(keys()).noneMatch(key -> key.startsWith("public/"));
    }

    @Test
    void theManifestThatStandsDecidesTheVisibilityNotTheUploadsMetadata() throws Exception {
        putOriginal("public");
        run(Checkpoints.NONE);
        makePrivateAsTheApiDoes();
        // An older manifest (another ETag: say, an operator restored the original) makes the run process it again.
        Manifest stale = new Manifest(manifest().version(), manifest().fileId(), manifest().status(), null, "private",
                new Manifest.Source(ORIGINAL, "an-older-etag", "a.jpg", "image/jpeg", 1, 1, 1, null, null), manifest().variants(),
                manifest().placeholder(), manifest().processedAt(), null, "2026-11-27T10:00:00Z", "change-1");
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json"), RequestBody.fromBytes(stale.toJson()));

        JsonNode rerun = run(Checkpoints.NONE);

        assertThat(rerun.get("outcome").asText()).isEqualTo("ready");
        assertThat(manifest().visibility()).isEqualTo("private");
        assertThat(keys()).noneMatch(key -> key.startsWith("public/"));
    }

    private interface Checkpoints extends MediaProcessor.Checkpoints {
        Checkpoints NONE = (step, file) -> { };
    }

    /** Runs {@code action} once, when the run reaches {@code step}. */
    private static Checkpoints at(Step step, Consumer<OriginalKey> action) {
        return (reached, file) -> {
            if (reached == step) {
                action.accept(file);
            }
        };
    }

    /** FileRemoval's S3 effects: the marker first, then every key of the file, the original last. */
    private void deleteAsTheApiDoes() {
        Deletions.mark(s3, LocalS3.BUCKET, FILE.owner(), FILE.fileId());
        for (String prefix : List.of("public/", "variants/", "originals/")) {
            s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET).prefix(prefix)).contents()
                    .forEach(object -> s3.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key())));
        }
    }

    /** Publication's S3 effects when a public file goes private: the manifest says private, the public copies go. */
    private void makePrivateAsTheApiDoes() {
        Manifest standing = manifest();
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json"), RequestBody.fromBytes(
                standing.withVisibility(Visibility.PRIVATE, false, "2026-11-27T10:00:00Z", "change-1").toJson()));
        s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET).prefix("public/")).contents()
                .forEach(object -> s3.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key())));
    }

    private JsonNode run(MediaProcessor.Checkpoints checkpoints) {
        Settings settings = new Settings(System::getProperty);
        MediaProcessor processor = new MediaProcessor(s3, LocalS3.BUCKET, ImageResizerHandler.DEFAULT_MAX_IMAGE_BYTES,
                new ImagePipeline(ResizeConfig.from(settings), Libvips.load(SharpLibvips.library(), 1)), Clock.systemUTC(),
                dev.mediagate.core.metrics.Metrics.toStandardOutput("image-resizer"), dev.mediagate.events.EventBus.from(settings),
                checkpoints);
        try {
            return JSON.readTree(new ImageResizerHandler(processor).handle(S3Events.event("s3-object-created.json"))).get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void putOriginal(String visibility) {
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType("image/jpeg")
                .metadata(Map.of("visibility", visibility, "filename", "a.jpg")), RequestBody.fromBytes(Images.jpeg(Images.quadrants(64, 48))));
    }

    private Manifest manifest() {
        return Manifest.read(s3, LocalS3.BUCKET, VARIANTS + "manifest.json").orElseThrow();
    }

    private List<String> keys() {
        return s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents().stream().map(S3Object::key).toList();
    }
}
