package dev.mediagate.resizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.imaging.VariantFormat;
import dev.mediagate.imaging.VariantSpec;
import dev.mediagate.local.lambda.SharpLibvips;
import dev.mediagate.testing.Images;
import dev.mediagate.testing.LocalS3;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A focus written on a file's manifest (what {@code PATCH /files/{id}} {@code {"focus"}} does) makes its variants stale,
 * and the reprocessing cuts every cover variant around it and keeps it in the manifest and its recipe.
 */
@Tag("events")
class FocusReprocessTest {

    private static final String ORIGINAL = ReprocessHandlerTest.ORIGINAL;
    private static final String MANIFEST = ReprocessHandlerTest.MANIFEST;
    private static final Recipe.Focus RIGHT_EDGE = new Recipe.Focus(0.9, 0.5);

    private final S3Client client = LocalS3.shared().client();
    private final ResizeConfig config = new ResizeConfig(VariantSpec.parseList("VARIANTS", "square=64x64:cover,thumb=320x320"),
            50_000_000L, 82, Set.of(VariantFormat.WEBP));
    private final MediaProcessor processor = new MediaProcessor(client, LocalS3.BUCKET, ImageResizerHandler.DEFAULT_MAX_IMAGE_BYTES,
            new ImagePipeline(config, Libvips.load(SharpLibvips.library(), 1)), Clock.systemUTC(),
            dev.mediagate.core.metrics.Metrics.toStandardOutput("focus"),
            dev.mediagate.events.EventBus.from(new dev.mediagate.core.config.Settings(System::getProperty)));

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : client.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            client.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
    }

    @Test
    void aFocusOnTheManifestMakesTheCoverVariantsStaleAndTheReprocessingCutsThemAroundIt() {
        // 640x480 with a magenta band along the right edge: the centred square (x 80–560) leaves it out.
        BufferedImage picture = Images.quadrants(640, 480);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.MAGENTA);
        g.fillRect(600, 0, 40, 480);
        g.dispose();
        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType("image/png"), RequestBody.fromBytes(Images.png(picture)));
        processor.process(LocalS3.BUCKET, ORIGINAL);
        Manifest centred = manifest();
        assertThat(rightEdgeIsMagenta(centred)).as("the centred square").isFalse();
        assertThat(processor.reprocess(LocalS3.BUCKET, ORIGINAL, false).kind()).isEqualTo(Reprocessing.Kind.CURRENT);

        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(MANIFEST).contentType("application/json"),
                RequestBody.fromBytes(centred.withFocus(RIGHT_EDGE).toJson()));
        Reprocessing.Outcome outcome = processor.reprocess(LocalS3.BUCKET, ORIGINAL, false);

        assertThat(outcome.kind()).isEqualTo(Reprocessing.Kind.REPROCESSED);
        Manifest focused = manifest();
        assertThat(focused.focus()).isEqualTo(RIGHT_EDGE);
        assertThat(focused.recipe()).isEqualTo(Recipe.of(config.recipeConfig(), RIGHT_EDGE)).isNotEqualTo(centred.recipe());
        assertThat(rightEdgeIsMagenta(focused)).as("the square around the focus").isTrue();
        assertThat(processor.reprocess(LocalS3.BUCKET, ORIGINAL, false).kind()).as("then current").isEqualTo(Reprocessing.Kind.CURRENT);
    }

    private boolean rightEdgeIsMagenta(Manifest manifest) {
        BufferedImage square = Images.read(client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET)
                .key(manifest.variants().get("square").key())).asByteArray());
        Color edge = new Color(square.getRGB(square.getWidth() - 1, square.getHeight() / 2));
        return edge.getRed() > 200 && edge.getGreen() < 60 && edge.getBlue() > 200;
    }

    private Manifest manifest() {
        return Manifest.read(client, LocalS3.BUCKET, MANIFEST).orElseThrow();
    }
}
