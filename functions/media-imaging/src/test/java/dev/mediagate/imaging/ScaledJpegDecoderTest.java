package dev.mediagate.imaging;

import static dev.mediagate.testing.Images.read;
import static dev.mediagate.testing.Images.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.imaging.Resampler.Pixels;
import dev.mediagate.testing.Images;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reduced decode must be the picture ImageIO decodes, averaged over 2^shift × 2^shift cells; everything it does not
 * take (or any damage) must make it stand aside with {@link ScaledJpegDecoder.Unsupported}, never answer wrongly.
 * Fixtures in {@code images/jpeg/}: 203×157 (partial MCUs on both edges), quality 90, one file per sampling layout.
 */
class ScaledJpegDecoderTest {

    @ParameterizedTest(name = "{0} at 1/{1}")
    @CsvSource({
        "ycc444.jpg, 1", "ycc444.jpg, 2", "ycc444.jpg, 4", "ycc444.jpg, 8",
        "ycc422.jpg, 1", "ycc422.jpg, 2", "ycc422.jpg, 8",
        "ycc420.jpg, 1", "ycc420.jpg, 2", "ycc420.jpg, 4", "ycc420.jpg, 8",
        "ycc440.jpg, 1", "ycc440.jpg, 2",
        "ycc411.jpg, 1", "ycc411.jpg, 4",
        "restart.jpg, 1", "restart.jpg, 2",
        "grey.jpg, 1", "grey.jpg, 4"})
    void decodesTheAverageOfTheFullSizePicture(String file, int factor) {
        byte[] jpeg = resource("jpeg/" + file);
        Pixels full = ImagePipeline.toPixels(read(jpeg));

        Pixels reduced = ScaledJpegDecoder.decode(jpeg, Integer.numberOfTrailingZeros(factor));

        assertThat(reduced.width()).isEqualTo((203 + factor - 1) / factor);
        assertThat(reduced.height()).isEqualTo((157 + factor - 1) / factor);
        assertThat(psnrAgainstAverage(reduced, full, factor)).isGreaterThan(38.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"progressive.jpg", "cmyk.jpg"})
    void standsAsideForProgressiveAndCmykFiles(String file) {
        byte[] jpeg = resource("jpeg/" + file);

        assertThatThrownBy(() -> ScaledJpegDecoder.decode(jpeg, 1)).isInstanceOf(ScaledJpegDecoder.Unsupported.class);
    }

    @ParameterizedTest(name = "APP{0}")
    @ValueSource(ints = {0xE2, 0xEE})
    void standsAsideForAnIccProfileOrAnAdobeColourTransform(int marker) {
        byte[] jpeg = Images.withSegment(resource("jpeg/ycc420.jpg"), marker, "ICC_PROFILE or Adobe".getBytes());

        assertThatThrownBy(() -> ScaledJpegDecoder.decode(jpeg, 1)).isInstanceOf(ScaledJpegDecoder.Unsupported.class);
    }

    @Test
    void standsAsideForComponentsNamedRgb() {
        byte[] jpeg = resource("jpeg/ycc444.jpg");
        int frame = indexOf(jpeg, (byte) 0xC0);
        int scan = indexOf(jpeg, (byte) 0xDA);
        for (int c = 0; c < 3; c++) {
            jpeg[frame + 9 + 3 * c] = (byte) "RGB".charAt(c);
            jpeg[scan + 4 + 2 * c] = (byte) "RGB".charAt(c);
        }

        assertThatThrownBy(() -> ScaledJpegDecoder.decode(jpeg, 1)).isInstanceOf(ScaledJpegDecoder.Unsupported.class)
                .hasMessageContaining("RGB");
    }

    @Test
    void standsAsideForATruncatedFile() {
        byte[] jpeg = resource("jpeg/ycc420.jpg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length * 3 / 5);
        byte[] cutWithEnd = Arrays.copyOf(cut, cut.length + 2);
        cutWithEnd[cut.length] = (byte) 0xFF;
        cutWithEnd[cut.length + 1] = (byte) 0xD9;

        assertThatThrownBy(() -> ScaledJpegDecoder.decode(cut, 1)).isInstanceOf(ScaledJpegDecoder.Unsupported.class);
        assertThatThrownBy(() -> ScaledJpegDecoder.decode(cutWithEnd, 1)).isInstanceOf(ScaledJpegDecoder.Unsupported.class);
    }

    @Test
    void standsAsideForARestartMarkerOutOfSequence() {
        byte[] jpeg = resource("jpeg/restart.jpg");
        int firstRestart = indexOf(jpeg, (byte) 0xD0);
        jpeg[firstRestart] = (byte) 0xD3;

        assertThatThrownBy(() -> ScaledJpegDecoder.decode(jpeg, 1)).isInstanceOf(ScaledJpegDecoder.Unsupported.class);
    }

    @Test
    void damagedDataEitherDecodesAtTheRightSizeOrStandsAside() {
        byte[] original = resource("jpeg/restart.jpg");
        Random random = new Random(11);
        for (int round = 0; round < 500; round++) {
            byte[] damaged = original.clone();
            for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
            }
            try {
                Pixels pixels = ScaledJpegDecoder.decode(damaged, random.nextInt(4));

                assertThat(pixels.data()).hasSize(pixels.width() * pixels.height() * 3);
            } catch (ScaledJpegDecoder.Unsupported expected) {
                // the full decoder judges this one
            }
        }
    }

    private static double psnrAgainstAverage(Pixels reduced, Pixels full, int factor) {
        double squares = 0;
        long samples = 0;
        // Whole cells only: a partial cell at the right or bottom edge averages fewer pixels.
        for (int y = 0; y < full.height() / factor; y++) {
            for (int x = 0; x < full.width() / factor; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        for (int dx = 0; dx < factor; dx++) {
                            sum += full.data()[((y * factor + dy) * full.width() + x * factor + dx) * 3 + c] & 0xFF;
                        }
                    }
                    double expected = (double) sum / (factor * factor);
                    double difference = (reduced.data()[(y * reduced.width() + x) * 3 + c] & 0xFF) - expected;
                    squares += difference * difference;
                    samples++;
                }
            }
        }
        return 10 * Math.log10(255.0 * 255.0 * samples / squares);
    }

    private static int indexOf(byte[] jpeg, byte marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == marker) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no marker");
    }
}
