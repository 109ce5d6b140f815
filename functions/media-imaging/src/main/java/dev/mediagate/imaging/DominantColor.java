package dev.mediagate.imaging;

import java.util.Locale;

/**
 * A picture's most representative colour, as sharp's {@code stats().dominant} picks it: the fullest bin of a 4096-bin
 * histogram (16 levels per channel) of a small copy; then, rather than that bin's centre, the mean of the pixels in it,
 * so a flat colour comes back exactly. Pixels count by their opacity, so a logo's transparent surround does not win.
 */
final class DominantColor {

    private static final int LEVELS = 16;

    private DominantColor() {
    }

    /** {@code #rrggbb} of {@code width × height} RGBA pixels (not premultiplied). */
    static String of(int width, int height, byte[] rgba) {
        if (rgba.length != width * height * 4) {
            throw new IllegalArgumentException(rgba.length + " bytes are not " + width + "x" + height + " RGBA pixels");
        }
        double[] weight = new double[LEVELS * LEVELS * LEVELS];
        double[] sums = new double[weight.length * 3];
        // A fully transparent picture has no colour by opacity: then every pixel counts alike.
        boolean anyOpacity = false;
        for (int j = 3; j < rgba.length; j += 4) {
            anyOpacity |= rgba[j] != 0;
        }
        for (int j = 0; j < rgba.length; j += 4) {
            int r = rgba[j] & 0xff;
            int g = rgba[j + 1] & 0xff;
            int b = rgba[j + 2] & 0xff;
            double w = anyOpacity ? (rgba[j + 3] & 0xff) / 255.0 : 1;
            int bin = (r * LEVELS / 256 * LEVELS + g * LEVELS / 256) * LEVELS + b * LEVELS / 256;
            weight[bin] += w;
            sums[bin * 3] += w * r;
            sums[bin * 3 + 1] += w * g;
            sums[bin * 3 + 2] += w * b;
        }
        int fullest = 0;
        for (int bin = 1; bin < weight.length; bin++) {
            if (weight[bin] > weight[fullest]) {
                fullest = bin;
            }
        }
        double total = weight[fullest];
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(sums[fullest * 3] / total),
                Math.round(sums[fullest * 3 + 1] / total), Math.round(sums[fullest * 3 + 2] / total));
    }
}
