package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mediagate.core.files.FileType;
import dev.mediagate.local.lambda.SharpLibvips;
import java.util.Set;

/**
 * Fuzz targets (Jazzer) for the image engine. In the fuzz profile (CI) each runs for a bounded time (docs/testing.md);
 * without {@code JAZZER_FUZZ} they replay their regression inputs from {@code src/test/resources/.../ImageFuzzTestInputs}.
 * The property: whatever the bytes, the engine answers with an outcome and never throws; the second target drives
 * libvips through the binding (a native crash there ends the fuzzing JVM, which fails the build).
 */
class ImageFuzzTest {

    private static final Libvips VIPS = Libvips.load(SharpLibvips.library(), 1);

    private static final ImagePipeline PIPELINE = new ImagePipeline(new ResizeConfig(
            VariantSpec.parseList("VARIANTS", "thumb=64x64,square=32x32:cover"), 4_000_000L, 82, Set.of(VariantFormat.WEBP)), VIPS);

    /** No pixel allowed: every image is refused right after its header, so this fuzzes the sniffer and header readers. */
    private static final ImagePipeline HEADER_ONLY = new ImagePipeline(new ResizeConfig(
            VariantSpec.parseList("VARIANTS", "thumb=64x64"), 0L, 82, Set.of()), VIPS);

    @FuzzTest(maxDuration = "30s")
    void readingTheHeaderOfAnyBytesEndsInAnOutcome(byte[] bytes) {
        FileType declared = FormatSniffer.sniff(bytes).orElse(FileType.PNG);

        MediaOutcome outcome = HEADER_ONLY.process(bytes, declared);

        assertThat(outcome).isNotInstanceOf(MediaOutcome.Image.class);
    }

    @FuzzTest(maxDuration = "30s")
    void sniffingAndDecodingAnyBytesEndsInAnOutcome(byte[] bytes) {
        FileType declared = FormatSniffer.sniff(bytes).orElse(FileType.JPEG);

        MediaOutcome outcome = PIPELINE.process(bytes, declared);

        assertThat(outcome).isNotNull();
        if (outcome instanceof MediaOutcome.Image image) {
            image.variants().forEach(variant -> assertThat(variant.width()).isBetween(1, 64));
        }
    }
}
