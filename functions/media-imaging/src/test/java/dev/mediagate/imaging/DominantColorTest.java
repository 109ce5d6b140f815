package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DominantColorTest {

    @Test
    void theColourMostPixelsShareWinsAndComesBackExactlyNotAsItsBinCentre() {
        // 60 % a dark blue, 40 % spread over reds that fall into several histogram bins.
        byte[] rgba = new byte[100 * 4];
        for (int i = 0; i < 100; i++) {
            int[] colour = i < 60 ? new int[] {0x3a, 0x5f, 0x8c} : new int[] {150 + (i % 4) * 25, 10, 10};
            put(rgba, i, colour[0], colour[1], colour[2], 255);
        }

        assertThat(DominantColor.of(10, 10, rgba)).isEqualTo("#3a5f8c");
    }

    @Test
    void transparentPixelsDoNotCountSoALogosSurroundDoesNotWin() {
        byte[] rgba = new byte[100 * 4];
        for (int i = 0; i < 100; i++) {
            if (i < 30) {
                put(rgba, i, 200, 30, 40, 255);
            } else {
                put(rgba, i, 255, 255, 255, 0);
            }
        }

        assertThat(DominantColor.of(10, 10, rgba)).isEqualTo("#c81e28");
    }

    @Test
    void aFullyTransparentPictureStillHasAColour() {
        byte[] rgba = new byte[4 * 4];
        for (int i = 0; i < 4; i++) {
            put(rgba, i, 0, 0, 0, 0);
        }

        assertThat(DominantColor.of(2, 2, rgba)).isEqualTo("#000000");
    }

    private static void put(byte[] rgba, int pixel, int r, int g, int b, int a) {
        rgba[pixel * 4] = (byte) r;
        rgba[pixel * 4 + 1] = (byte) g;
        rgba[pixel * 4 + 2] = (byte) b;
        rgba[pixel * 4 + 3] = (byte) a;
    }
}
