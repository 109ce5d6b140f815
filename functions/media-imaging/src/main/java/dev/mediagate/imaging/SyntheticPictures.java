package dev.mediagate.imaging;

/** Pixels made in Java for priming: smooth gradients with an edge, so every codec has real work to do. */
final class SyntheticPictures {

    private SyntheticPictures() {
    }

    /** {@code width} × {@code height} pixels of {@code bands} 8-bit bands, row by row; a 4th band fades to transparent. */
    static byte[] gradient(int width, int height, int bands) {
        byte[] pixels = new byte[width * height * bands];
        int at = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean edge = x > width / 3 && x < width / 2 && y > height / 3 && y < height / 2;
                pixels[at++] = (byte) (255 * x / width);
                pixels[at++] = (byte) (edge ? 255 : 255 * y / height);
                pixels[at++] = (byte) (edge ? 0 : 255 * (x + y) / (width + height));
                if (bands == 4) {
                    pixels[at++] = (byte) (255 - 200 * x / width);
                }
            }
        }
        return pixels;
    }
}
