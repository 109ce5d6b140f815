package dev.mediagate.resizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.core.files.ReprocessMessage;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.imaging.VariantFormat;
import dev.mediagate.imaging.VariantSpec;
import dev.mediagate.testing.Images;
import dev.mediagate.testing.LocalS3;
import dev.mediagate.local.lambda.SharpLibvips;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The API's reprocess request ({@code {"reprocess": {bucket, key, force}}}) on the resizer's queue, through the real
 * SQS handler: a current file is left alone, a stale one (a focus set, as {@code PATCH} writes it) gets new variants
 * under a new generation, {@code force} makes a new generation of a current file, a deleted file gets nothing.
 */
@Tag("events")
class QueuedReprocessTest {

    private static final String ORIGINAL = ReprocessHandlerTest.ORIGINAL;
    private static final String MANIFEST = ReprocessHandlerTest.MANIFEST;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client client = LocalS3.shared().client();
    private final ResizeConfig config = new ResizeConfig(VariantSpec.parseList("VARIANTS", "square=64x64:cover,thumb=320x320"),
            50_000_000L, 82, Set.of(VariantFormat.WEBP));
    private final MediaProcessor processor = new MediaProcessor(client, LocalS3.BUCKET, ImageResizerHandler.DEFAULT_MAX_IMAGE_BYTES,
            new ImagePipeline(config, Libvips.load(SharpLibvips.library(), 1)), Clock.systemUTC(),
            dev.mediagate.core.metrics.Metrics.toStandardOutput("queued-reprocess"),
            dev.mediagate.events.EventBus.from(new dev.mediagate.core.config.Settings(System::getProperty)));
    private final ImageResizerHandler handler = new ImageResizerHandler(processor);

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : client.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            client.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
    }

    @Test
    void aCurrentFileIsLeftAloneAStaleOneIsMadeAgainAndForceMakesANewGeneration() throws Exception {
        putOriginalWithAMagentaRightEdge();
        processor.process(LocalS3.BUCKET, ORIGINAL);
        Manifest first = manifest();

        assertThat(send(new ReprocessMessage(LocalS3.BUCKET, ORIGINAL, false)).getBatchItemFailures()).isEmpty();
        assertThat(manifest()).as("current: nothing written").isEqualTo(first);

        // What PATCH {"focus"} writes before it queues the same message.
        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(MANIFEST).contentType("application/json"),
                RequestBody.fromBytes(first.withFocus(new Recipe.Focus(0.9, 0.5)).toJson()));
        assertThat(send(new ReprocessMessage(LocalS3.BUCKET, ORIGINAL, false)).getBatchItemFailures()).isEmpty();
        Manifest focused = manifest();
        assertThat(focused.generation()).isNotNull();
        assertThat(focused.recipe()).isEqualTo(Recipe.of(config.recipeConfig(), new Recipe.Focus(0.9, 0.5)));
        assertThat(focused.variants().get("square").key()).contains("/" + focused.generation() + "/");
        BufferedImage square = Images.read(client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET)
                .key(focused.variants().get("square").key())).asByteArray());
        Color edge = new Color(square.getRGB(square.getWidth() - 1, square.getHeight() / 2));
        assertThat(edge.getRed() > 200 && edge.getGreen() < 60 && edge.getBlue() > 200).as("the right edge kept around the focus").isTrue();

        assertThat(send(new ReprocessMessage(LocalS3.BUCKET, ORIGINAL, true)).getBatchItemFailures()).isEmpty();
        assertThat(manifest().generation()).as("force: a new generation of a current file").isNotEqualTo(focused.generation());
    }

    @Test
    void aFileDeletedMeanwhileGetsNothingAndAMalformedRequestComesBack() throws Exception {
        putOriginalWithAMagentaRightEdge();
        processor.process(LocalS3.BUCKET, ORIGINAL);
        var file = MediaKeys.parseOriginal(ORIGINAL).orElseThrow();
        String marker = MediaKeys.deletionMarker(file.owner(), file.fileId());
        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(marker), RequestBody.fromBytes(new byte[0]));
        Manifest before = manifest();
        List<String> keysBefore = keys();

        assertThat(send(new ReprocessMessage(LocalS3.BUCKET, ORIGINAL, true)).getBatchItemFailures()).isEmpty();
        assertThat(keys()).as("a DELETE that began is final").isSubsetOf(keysBefore);
        assertThat(manifest().generation()).isEqualTo(before.generation());

        ObjectNode malformed = JSON.createObjectNode();
        malformed.putObject("reprocess").put("bucket", LocalS3.BUCKET).put("key", "variants/x/manifest.json");
        assertThat(handler.handleRequest(S3Events.sqs(sqsEvent(malformed.toString())), null).getBatchItemFailures()).hasSize(1);
    }

    private SQSBatchResponse send(ReprocessMessage message) throws Exception {
        return handler.handleRequest(S3Events.sqs(sqsEvent(message.toJson())), null);
    }

    /** {@code events/sqs-s3-object-created.json} with another body. */
    private static String sqsEvent(String body) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(S3Events.json("sqs-s3-object-created.json"));
        ((ObjectNode) event.get("Records").get(0)).put("body", body);
        return event.toString();
    }

    private void putOriginalWithAMagentaRightEdge() {
        BufferedImage picture = Images.quadrants(640, 480);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.MAGENTA);
        g.fillRect(600, 0, 40, 480);
        g.dispose();
        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType("image/png"), RequestBody.fromBytes(Images.png(picture)));
    }

    private Manifest manifest() {
        return Manifest.read(client, LocalS3.BUCKET, MANIFEST).orElseThrow();
    }

    private List<String> keys() {
        return client.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents().stream().map(S3Object::key).toList();
    }
}
