package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ThumbHash} writes exactly the reference encoder's bytes. The expected hashes are what the npm package
 * {@code thumbhash} 0.1.1's {@code rgbaToThumbHash} returns for the same pixels (ThumbHashReferenceIT checks more
 * pictures against it, and that its decoder reads ours).
 */
class ThumbHashTest {

    @ParameterizedTest(name = "{0}x{1}, alpha {2}")
    @CsvSource({
        "20, 12, false, nwcOFJpwd3dxeHiHh3e/sAv3hw==",
        "9, 30, false, 2HYJKgyEVAeJiHGpdMwPp9c=",
        "20, 12, true, oQeGC4wXkIiSeImfoQr5eCEyUHdhOSg=",
        "9, 30, true, 2XaFGgQXlGYIqhiEuQ+Z1yAzY4dkOFg="})
    void landscapePortraitOpaqueAndTranslucentPicturesHashAsTheReferenceEncoderDoes(int width, int height, boolean alpha,
            String expected) {
        byte[] rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int j = (y * width + x) * 4;
                rgba[j] = (byte) (x * 13);
                rgba[j + 1] = (byte) (y * 21);
                rgba[j + 2] = (byte) ((x + y) * 9);
                rgba[j + 3] = (byte) (alpha ? x * y * 5 + 40 : 255);
            }
        }

        assertThat(Base64.getEncoder().encodeToString(ThumbHash.encode(width, height, rgba))).isEqualTo(expected);
    }

    @Test
    void picturesLargerThanTheReferenceLimitOrWithTheWrongPixelCountAreRefused() {
        assertThatThrownBy(() -> ThumbHash.encode(101, 10, new byte[101 * 10 * 4])).hasMessageContaining("100x100");
        assertThatThrownBy(() -> ThumbHash.encode(10, 10, new byte[399])).hasMessageContaining("RGBA");
    }
}
