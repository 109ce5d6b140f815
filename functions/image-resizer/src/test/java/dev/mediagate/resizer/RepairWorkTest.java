package dev.mediagate.resizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.mediagate.core.config.Settings;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.local.lambda.SharpLibvips;
import dev.mediagate.testing.Images;
import dev.mediagate.testing.LocalS3;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code events/sqs-repair-no-manifest.json}, the repair sweep's message on the resizer's queue, through the real
 * handler against S3Proxy: a lost original is processed as a new one; a repair for a file that got its manifest
 * meanwhile does nothing.
 */
@Tag("events")
class RepairWorkTest {

    private final S3Client client = LocalS3.shared().client();

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : client.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            client.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
    }

    @Test
    void theSweepsMessageIsARepairAndS3sOwnNotificationsAreNot() {
        String repair = S3Events.sqs(S3Events.json("sqs-repair-no-manifest.json")).getRecords().get(0).getBody();
        String upload = S3Events.sqs(S3Events.json("sqs-s3-object-created.json")).getRecords().get(0).getBody();

        assertThat(ResizerWork.parse(repair)).isEqualTo(new ResizerWork.Repair(java.util.List.of(
                new S3Notifications.S3Object(LocalS3.BUCKET, ImageResizerHandlerTest.ORIGINAL))));
        assertThat(ResizerWork.parse(upload)).isInstanceOf(ResizerWork.NewOriginals.class);
    }

    @Test
    void aLostOriginalIsProcessedAsANewOneAndARepairAfterItsManifestDoesNothing() {
        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(ImageResizerHandlerTest.ORIGINAL).contentType("image/jpeg"),
                RequestBody.fromBytes(Images.jpeg(Images.quadrants(640, 480))));
        ImageResizerHandler handler = handler();
        String manifest = ImageResizerHandlerTest.VARIANTS + "manifest.json";

        SQSBatchResponse first = handler.handleRequest(S3Events.sqs(S3Events.json("sqs-repair-no-manifest.json")), null);

        assertThat(first.getBatchItemFailures()).isEmpty();
        var written = client.headObject(h -> h.bucket(LocalS3.BUCKET).key(manifest));
        assertThat(new String(client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET).key(manifest)).asByteArray()))
                .contains("\"status\":\"ready\"");

        SQSBatchResponse again = handler.handleRequest(S3Events.sqs(S3Events.json("sqs-repair-no-manifest.json")), null);

        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(client.headObject(h -> h.bucket(LocalS3.BUCKET).key(manifest)).eTag()).isEqualTo(written.eTag());
    }

    private ImageResizerHandler handler() {
        Settings settings = new Settings(System::getProperty);
        return new ImageResizerHandler(new MediaProcessor(client, LocalS3.BUCKET, ImageResizerHandler.DEFAULT_MAX_IMAGE_BYTES,
                new ImagePipeline(ResizeConfig.from(settings), Libvips.load(SharpLibvips.library(), 1)), Clock.systemUTC(),
                dev.mediagate.core.metrics.Metrics.toStandardOutput("image-resizer"), dev.mediagate.events.EventBus.from(settings)));
    }
}
