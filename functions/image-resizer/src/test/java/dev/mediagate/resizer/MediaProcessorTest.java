package dev.mediagate.resizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.core.events.FileEvent;
import dev.mediagate.core.files.FileStatus;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.MediaKeys.OriginalKey;
import dev.mediagate.core.files.Visibility;
import dev.mediagate.core.metrics.Metrics;
import dev.mediagate.imaging.FormatSniffer;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.imaging.VariantFormat;
import dev.mediagate.imaging.VariantSpec;
import dev.mediagate.local.lambda.SharpLibvips;
import dev.mediagate.testing.Images;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The decision flow of a processing run against a bucket in memory ({@link FakeMediaBucket}): which requests each
 * situation makes, in which order, and what it leaves behind. The S3 behaviour under these steps is pinned by the tests
 * against S3Proxy (ImageResizerHandlerTest, ConcurrentChangesTest, ReprocessHandlerTest).
 */
class MediaProcessorTest {

    private static final OriginalKey FILE = MediaKeys.parseOriginal(
            "originals/ksbadydqkpcosn4zkgtwasmyjuchops2/6f1c2f0e-8d4b-4c57-9a31-0c5b7d2e9f10").orElseThrow();
    private static final String MANIFEST = MediaKeys.manifest(FILE.owner(), FILE.fileId());
    private static final ImagePipeline PIPELINE = new ImagePipeline(new ResizeConfig(
            VariantSpec.parseList("VARIANTS", "square=32x32:cover,thumb=64x64"), 50_000_000L, 82, Set.of(VariantFormat.WEBP)),
            Libvips.load(SharpLibvips.library(), 1));
    private static final byte[] JPEG = Images.jpeg(Images.quadrants(120, 90));

    private final FakeMediaBucket bucket = new FakeMediaBucket();
    private final List<FileEvent> events = new ArrayList<>();
    private final ByteArrayOutputStream metricLines = new ByteArrayOutputStream();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:00:05Z"), ZoneOffset.UTC);
    private MediaProcessor.Checkpoints checkpoints = MediaProcessor.Checkpoints.NONE;
    private int writesInFlight = VariantWrites.DEFAULT_IN_FLIGHT;

    private MediaProcessor processor() {
        return processor(100_000_000L);
    }

    private MediaProcessor processor(long maxImageBytes) {
        return new MediaProcessor(bucket, maxImageBytes, PIPELINE, clock,
                new Metrics("image-resizer", new PrintStream(metricLines, true, StandardCharsets.UTF_8), clock), events::add,
                (step, file) -> checkpoints.reached(step, file), writesInFlight);
    }

    private void upload(String contentType, byte[] bytes, Visibility visibility) {
        bucket.putOriginal(FILE, contentType, bytes, Map.of("visibility", visibility.code(), "filename", "a%20b.jpg"));
    }

    @Test
    void aPrivateImageGetsItsVariantsThenItsManifestAndIsAnnouncedAsUploadedOnce() {
        upload("image/jpeg", JPEG, Visibility.PRIVATE);

        ProcessingResult result = processor().process(FakeMediaBucket.NAME, FILE.key());

        assertThat(result.outcome()).isEqualTo(ProcessingResult.Outcome.READY);
        Manifest manifest = bucket.manifests.get(FILE).manifest();
        assertThat(manifest.status()).isEqualTo(FileStatus.READY);
        assertThat(manifest.source().filename()).isEqualTo("a b.jpg");
        assertThat(manifest.variants()).containsOnlyKeys("square", "thumb");
        String variants = MediaKeys.variantsPrefix(FILE.owner(), FILE.fileId());
        assertThat(bucket.requests("PUT")).containsExactlyInAnyOrder(variants + "square.jpg", variants + "square.webp",
                variants + "thumb.jpg", variants + "thumb.webp", MANIFEST).last().isEqualTo(MANIFEST);
        assertThat(bucket.variantKeys()).noneMatch(key -> key.startsWith(MediaKeys.PUBLIC_PREFIX));
        assertThat(bucket.tagged).isEmpty();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(FileEvent.UPLOADED);
            assertThat(event.data().status()).isEqualTo(FileStatus.PROCESSING);
        });
        assertThat(metricLines.toString(StandardCharsets.UTF_8)).contains("VariantsMade");
    }

    @Test
    void aPublicImageIsAlsoPublishedAndItsManifestNamesThePublicCopies() {
        upload("image/jpeg", JPEG, Visibility.PUBLIC);

        processor().process(FakeMediaBucket.NAME, FILE.key());

        Manifest manifest = bucket.manifests.get(FILE).manifest();
        assertThat(manifest.visibilityValue()).isEqualTo(Visibility.PUBLIC);
        assertThat(manifest.variants().values()).allSatisfy(variant -> assertThat(variant.keys())
                .allMatch(key -> key.startsWith(MediaKeys.PUBLIC_PREFIX) && bucket.objects.containsKey(key)
                        && bucket.objects.containsKey(MediaKeys.unpublished(key))));
        assertThat(bucket.variantKeys()).hasSize(8);
    }

    @Test
    void theManifestThatStandsDecidesTheVisibilityNotTheUploadsMetadata() {
        upload("image/jpeg", JPEG, Visibility.PRIVATE);
        // A PATCH made the file public after an earlier verdict on other bytes (the same file id uploaded again).
        bucket.standingManifest(FILE, new Manifest(Manifest.VERSION, FILE.fileId().value(), FileStatus.REJECTED, "corrupt",
                "public", new Manifest.Source(FILE.key(), "other-bytes", "a b.jpg", "image/jpeg", 3, null, null, null, null),
                Map.of(), null, "2026-12-01T00:00:00Z", null, null));

        processor().process(FakeMediaBucket.NAME, FILE.key());

        assertThat(bucket.manifests.get(FILE).manifest().visibilityValue()).isEqualTo(Visibility.PUBLIC);
        assertThat(bucket.variantKeys()).anyMatch(key -> key.startsWith(MediaKeys.PUBLIC_PREFIX));
    }

    /** A file rejected once and made ready by a reprocessing loses the rejected mark: its original must not expire. */
    @Test
    void aRejectedFileReprocessedToReadyHasItsOriginalsRejectedMarkRemoved() {
        upload("image/jpeg", JPEG, Visibility.PRIVATE);
        assertThat(processor(10).process(FakeMediaBucket.NAME, FILE.key()).outcome()).isEqualTo(ProcessingResult.Outcome.REJECTED);
        assertThat(bucket.tagged).containsExactly(FILE.key());

        Reprocessing.Outcome reprocessed = processor().reprocess(FakeMediaBucket.NAME, FILE.key(), true);

        assertThat(reprocessed.status()).isEqualTo(FileStatus.READY);
        assertThat(bucket.tagged).isEmpty();
        assertThat(bucket.requests).contains("UNTAG " + FILE.key());
    }

    @Test
    void anOriginalAlreadyProcessedIsSkippedWithoutAWriteOrAnEvent() {
        upload("image/jpeg", JPEG, Visibility.PRIVATE);
        processor().process(FakeMediaBucket.NAME, FILE.key());
        bucket.requests.clear();
        events.clear();

        ProcessingResult again = processor().process(FakeMediaBucket.NAME, FILE.key());

        assertThat(again).isEqualTo(ProcessingResult.skipped(FILE.key(), "already processed"));
        assertThat(bucket.requests).containsExactly("HEAD " + FILE.key(), "GET " + MANIFEST);
        assertThat(events).isEmpty();
    }

    @Test
    void aFileDeletedBeforeTheRunStartsIsNeitherAnnouncedNorRead() {
        upload("image/jpeg", JPEG, Visibility.PRIVATE);
        bucket.deleted.add(FILE);

        ProcessingResult result = processor().process(FakeMediaBucket.NAME, FILE.key());

        assertThat(result.outcome()).isEqualTo(ProcessingResult.Outcome.SKIPPED);
        assertThat(result.reason()).isEqualTo("the file was deleted");
        assertThat(bucket.requests("GET")).containsExactly(MANIFEST);
        assertThat(bucket.requests("PUT")).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void keysThatAreNoOriginalAndOtherBucketsAreSkippedWithoutARequest() {
        assertThat(processor().process(FakeMediaBucket.NAME, "variants/x/y/manifest.json").outcome())
                .isEqualTo(ProcessingResult.Outcome.SKIPPED);
        assertThat(processor().process("another-bucket", FILE.key()).reason()).isEqualTo("event for another bucket");
        assertThat(processor().process(FakeMediaBucket.NAME, FILE.key()).reason()).isEqualTo("the original no longer exists");
        assertThat(bucket.requests).containsExactly("HEAD " + FILE.key());
    }

    @Test
    void anUnsupportedTypeAndAnImageOverTheLimitAreRejectedWithoutReadingTheOriginal() {
        upload("application/zip", new byte[10], Visibility.PRIVATE);
        assertThat(processor().process(FakeMediaBucket.NAME, FILE.key()))
                .isEqualTo(new ProcessingResult(FILE.key(), ProcessingResult.Outcome.REJECTED, "unsupported-format"));

        bucket.manifests.clear();
        upload("image/jpeg", JPEG, Visibility.PRIVATE);
        assertThat(processor(JPEG.length - 1).process(FakeMediaBucket.NAME, FILE.key()).reason()).isEqualTo("too-large");

        assertThat(bucket.requests("GET")).containsOnly(MANIFEST);
        assertThat(bucket.tagged).containsExactly(FILE.key());
        assertThat(bucket.manifests.get(FILE).manifest().status()).isEqualTo(FileStatus.REJECTED);
    }

    @Test
    void aLargeDocumentIsJudgedByItsFirstBytesOnly() {
        byte[] pdf = new byte[10_000];
        byte[] magic = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, pdf, 0, magic.length);
        upload("application/pdf", pdf, Visibility.PRIVATE);

        ProcessingResult result = processor().process(FakeMediaBucket.NAME, FILE.key());

        assertThat(result.outcome()).isEqualTo(ProcessingResult.Outcome.READY);
        assertThat(bucket.requests("GET")).contains(FILE.key() + " first " + FormatSniffer.PREFIX_BYTES);
        assertThat(bucket.variantKeys()).isEmpty();
    }

    @Test
    void aFailedVariantWriteRemovesEveryVariantWrittenAndLeavesNoManifest() {
        upload("image/jpeg", JPEG, Visibility.PUBLIC);
        bucket.failPutsOf(key -> key.endsWith("thumb.jpg") && key.startsWith(MediaKeys.PUBLIC_PREFIX));

        assertThatThrownBy(() -> processor().process(FakeMediaBucket.NAME, FILE.key())).isInstanceOf(SdkClientException.class);

        assertThat(bucket.variantKeys()).isEmpty();
        assertThat(bucket.requests("DELETE")).containsExactlyInAnyOrderElementsOf(bucket.requests("STORED"));
        assertThat(bucket.manifests).isEmpty();
    }

    @Test
    void theVariantsAreWrittenTogetherAndTheManifestOnlyOnceEveryOneIsStored() {
        upload("image/jpeg", JPEG, Visibility.PUBLIC);
        String slow = MediaKeys.variantsPrefix(FILE.owner(), FILE.fileId()) + "square.jpg";
        bucket.delayPutOf(slow, 300);

        processor().process(FakeMediaBucket.NAME, FILE.key());

        List<String> requests = bucket.requests;
        int manifestWrite = requests.indexOf("PUT " + MANIFEST);
        assertThat(bucket.requests("STORED")).hasSize(8).allSatisfy(key ->
                assertThat(requests.indexOf("STORED " + key)).as("%s stored before the manifest is written", key).isLessThan(manifestWrite));
        // While the slow one was on its way, the others went: the writes overlap.
        assertThat(requests.indexOf("STORED " + slow)).isGreaterThan(requests.indexOf("STORED " + MediaKeys.published(slow)));
        assertThat(bucket.manifests.get(FILE).manifest().variants()).hasSize(2);
    }

    @Test
    void oneWriteInFlightWritesTheVariantsInOrder() {
        writesInFlight = 1;
        upload("image/jpeg", JPEG, Visibility.PUBLIC);
        bucket.failPutsOf(key -> key.endsWith("thumb.jpg") && key.startsWith(MediaKeys.PUBLIC_PREFIX));
        String variants = MediaKeys.variantsPrefix(FILE.owner(), FILE.fileId());
        String published = MediaKeys.publicPrefix(FILE.owner(), FILE.fileId());

        assertThatThrownBy(() -> processor().process(FakeMediaBucket.NAME, FILE.key())).isInstanceOf(SdkClientException.class);

        // The set's order, each private object before its public copy, and nothing after the failed one.
        assertThat(bucket.requests("PUT")).containsExactly(variants + "square.jpg", published + "square.jpg",
                variants + "square.webp", published + "square.webp", variants + "thumb.jpg", published + "thumb.jpg");
        assertThat(bucket.requests("DELETE")).containsExactly(variants + "square.jpg", published + "square.jpg",
                variants + "square.webp", published + "square.webp", variants + "thumb.jpg");
    }

    @Test
    void aRunThatLosesItsManifestWriteToAPrivateManifestWithdrawsItsPublicCopies() {
        upload("image/jpeg", JPEG, Visibility.PUBLIC);
        Manifest[] other = new Manifest[1];
        checkpoints = (step, file) -> {
            if (step == MediaProcessor.Step.VARIANTS_WRITTEN) {
                // Another run wrote its verdict first, and a PATCH made the file private.
                bucket.standingManifest(FILE, new Manifest(Manifest.VERSION, FILE.fileId().value(), FileStatus.READY, null,
                        "private", new Manifest.Source(FILE.key(), "e", "a b.jpg", "image/jpeg", 3, 1, 1, null, null),
                        Map.of(), null, "2026-12-02T12:00:04Z", null, null));
                other[0] = bucket.manifests.get(FILE).manifest();
            }
        };

        ProcessingResult result = processor().process(FakeMediaBucket.NAME, FILE.key());

        assertThat(result.reason()).isEqualTo("another run or a change wrote the manifest first: it stands");
        assertThat(bucket.manifests.get(FILE).manifest()).isSameAs(other[0]);
        assertThat(bucket.variantKeys()).hasSize(4).noneMatch(key -> key.startsWith(MediaKeys.PUBLIC_PREFIX));
    }

    @Test
    void aFileDeletedWhileItsVariantsWereWrittenLosesEverythingTheRunWrote() {
        upload("image/jpeg", JPEG, Visibility.PUBLIC);
        checkpoints = (step, file) -> {
            if (step == MediaProcessor.Step.MANIFEST_WRITTEN) {
                bucket.deleted.add(file);
            }
        };

        ProcessingResult result = processor().process(FakeMediaBucket.NAME, FILE.key());

        assertThat(result.reason()).isEqualTo("the file was deleted while it was processed");
        assertThat(bucket.variantKeys()).isEmpty();
        assertThat(bucket.manifests).isEmpty();
        assertThat(metricLines.toString(StandardCharsets.UTF_8)).doesNotContain("VariantsMade");
    }

    @Test
    void givingUpAnnouncesFileFailedOnlyWhileNoVerdictStands() {
        upload("image/jpeg", JPEG, Visibility.PRIVATE);

        ProcessingResult failed = processor().giveUp(FakeMediaBucket.NAME, FILE.key(), new IllegalStateException("boom"));

        assertThat(failed).isEqualTo(ProcessingResult.failed(FILE.key(), "gave up: IllegalStateException"));
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(FileEvent.FAILED);
            assertThat(event.data().status()).isEqualTo(FileStatus.FAILED);
            assertThat(event.data().reason()).isEqualTo("processing-error");
        });

        events.clear();
        processor().process(FakeMediaBucket.NAME, FILE.key());
        events.clear();
        assertThat(processor().giveUp(FakeMediaBucket.NAME, FILE.key(), new IllegalStateException("boom")).outcome())
                .isEqualTo(ProcessingResult.Outcome.SKIPPED);
        assertThat(events).isEmpty();
    }

    @Test
    void aReprocessingThatRacesAChangeRemovesOnlyItsOwnGeneration() {
        upload("image/jpeg", JPEG, Visibility.PRIVATE);
        processor().process(FakeMediaBucket.NAME, FILE.key());
        List<String> firstGeneration = bucket.variantKeys();
        checkpoints = (step, file) -> {
            if (step == MediaProcessor.Step.ORIGINAL_READ) {
                // A PATCH rewrote the manifest meanwhile: its ETag is no longer the one the reprocessing read.
                bucket.standingManifest(FILE, bucket.manifests.get(FILE).manifest().withVisibility(Visibility.PRIVATE, false,
                        "2026-12-02T12:00:06Z"));
            }
        };

        Reprocessing.Outcome outcome = processor().reprocess(FakeMediaBucket.NAME, FILE.key(), true);

        assertThat(outcome.kind()).isEqualTo(Reprocessing.Kind.RACED);
        assertThat(outcome.status()).isEqualTo(FileStatus.READY);
        assertThat(bucket.variantKeys()).isEqualTo(firstGeneration);
    }

    @Test
    void aCurrentFileIsNotReprocessedUnlessForced() {
        upload("image/jpeg", JPEG, Visibility.PRIVATE);
        processor().process(FakeMediaBucket.NAME, FILE.key());
        bucket.requests.clear();

        assertThat(processor().reprocess(FakeMediaBucket.NAME, FILE.key(), false).kind()).isEqualTo(Reprocessing.Kind.CURRENT);
        assertThat(bucket.requests("PUT")).isEmpty();

        Reprocessing.Outcome forced = processor().reprocess(FakeMediaBucket.NAME, FILE.key(), true);
        assertThat(forced.kind()).isEqualTo(Reprocessing.Kind.REPROCESSED);
        assertThat(bucket.manifests.get(FILE).manifest().generation()).isNotNull();
        assertThat(bucket.requests("PUT")).last().isEqualTo(MANIFEST);
        // The first generation's four objects are marked for the lifecycle rule.
        assertThat(bucket.requests("COPY")).hasSize(4);
    }
}
