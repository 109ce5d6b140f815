package dev.mediagate.imaging;

/**
 * Hand-rolled because no ThumbHash encoder for Java is on Maven Central in a maintained release: ThumbHash
 * (Evan Wallace's public algorithm, https://evanw.github.io/thumbhash/) of a small RGBA picture, byte for byte what
 * the reference {@code rgbaToThumbHash} writes, so the reference decoders in JS, Swift, Kotlin, Rust… read it.
 *
 * <p>The picture is composited onto its own average colour, turned into luminance (L), yellow–blue (P), red–green (Q)
 * and alpha (A) planes, and each plane's lowest cosine frequencies are kept: L with up to 7 (5 with alpha) along the
 * longer side, P and Q 3×3, A 5×5, in the triangle {@code cx·ny < nx·(ny−cy)}. The constant terms and each plane's
 * scale go in a 5-byte header (6 with alpha), the varying terms as 4-bit nibbles after it.
 */
final class ThumbHash {

    /** The reference encoder's limit: a larger picture only costs time for the same hash. */
    static final int MAX_SIDE = 100;

    private ThumbHash() {
    }

    /** The hash of {@code width × height} pixels, 4 bytes each (R, G, B, A, not premultiplied), row by row. */
    static byte[] encode(int width, int height, byte[] rgba) {
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException(width + "x" + height + " does not fit in " + MAX_SIDE + "x" + MAX_SIDE);
        }
        if (rgba.length != width * height * 4) {
            throw new IllegalArgumentException(rgba.length + " bytes are not " + width + "x" + height + " RGBA pixels");
        }
        int pixels = width * height;
        double averageR = 0;
        double averageG = 0;
        double averageB = 0;
        double averageA = 0;
        for (int i = 0, j = 0; i < pixels; i++, j += 4) {
            double alpha = (rgba[j + 3] & 0xff) / 255.0;
            averageR += alpha / 255.0 * (rgba[j] & 0xff);
            averageG += alpha / 255.0 * (rgba[j + 1] & 0xff);
            averageB += alpha / 255.0 * (rgba[j + 2] & 0xff);
            averageA += alpha;
        }
        if (averageA > 0) {
            averageR /= averageA;
            averageG /= averageA;
            averageB /= averageA;
        }

        boolean hasAlpha = averageA < pixels;
        int luminanceLimit = hasAlpha ? 5 : 7; // fewer luminance terms leave room for the alpha plane
        int longer = Math.max(width, height);
        int lx = Math.max(1, (int) Math.round((double) luminanceLimit * width / longer));
        int ly = Math.max(1, (int) Math.round((double) luminanceLimit * height / longer));
        double[] l = new double[pixels];
        double[] p = new double[pixels];
        double[] q = new double[pixels];
        double[] a = new double[pixels];
        for (int i = 0, j = 0; i < pixels; i++, j += 4) {
            double alpha = (rgba[j + 3] & 0xff) / 255.0;
            double r = averageR * (1 - alpha) + alpha / 255.0 * (rgba[j] & 0xff);
            double g = averageG * (1 - alpha) + alpha / 255.0 * (rgba[j + 1] & 0xff);
            double b = averageB * (1 - alpha) + alpha / 255.0 * (rgba[j + 2] & 0xff);
            l[i] = (r + g + b) / 3;
            p[i] = (r + g) / 2 - b;
            q[i] = r - g;
            a[i] = alpha;
        }

        Channel lChannel = Channel.encode(l, width, height, Math.max(3, lx), Math.max(3, ly));
        Channel pChannel = Channel.encode(p, width, height, 3, 3);
        Channel qChannel = Channel.encode(q, width, height, 3, 3);
        Channel aChannel = hasAlpha ? Channel.encode(a, width, height, 5, 5) : null;

        boolean landscape = width > height;
        long header24 = Math.round(63 * lChannel.dc) | (Math.round(31.5 + 31.5 * pChannel.dc) << 6)
                | (Math.round(31.5 + 31.5 * qChannel.dc) << 12) | (Math.round(31 * lChannel.scale) << 18)
                | ((hasAlpha ? 1L : 0L) << 23);
        long header16 = (landscape ? ly : lx) | (Math.round(63 * pChannel.scale) << 3) | (Math.round(63 * qChannel.scale) << 9)
                | ((landscape ? 1L : 0L) << 15);
        int acStart = hasAlpha ? 6 : 5;
        int acCount = lChannel.ac.length + pChannel.ac.length + qChannel.ac.length + (hasAlpha ? aChannel.ac.length : 0);
        byte[] hash = new byte[acStart + (acCount + 1) / 2];
        hash[0] = (byte) header24;
        hash[1] = (byte) (header24 >> 8);
        hash[2] = (byte) (header24 >> 16);
        hash[3] = (byte) header16;
        hash[4] = (byte) (header16 >> 8);
        if (hasAlpha) {
            hash[5] = (byte) (Math.round(15 * aChannel.dc) | (Math.round(15 * aChannel.scale) << 4));
        }
        int acIndex = 0;
        Channel[] channels = hasAlpha ? new Channel[] {lChannel, pChannel, qChannel, aChannel}
                : new Channel[] {lChannel, pChannel, qChannel};
        for (Channel channel : channels) {
            for (double factor : channel.ac) {
                hash[acStart + (acIndex >> 1)] |= (byte) (Math.round(15 * factor) << ((acIndex & 1) << 2));
                acIndex++;
            }
        }
        return hash;
    }

    /** One plane's constant term, its varying terms normalised to 0…1 and the scale they were normalised by. */
    private record Channel(double dc, double[] ac, double scale) {

        static Channel encode(double[] plane, int width, int height, int nx, int ny) {
            double dc = 0;
            double scale = 0;
            double[] ac = new double[nx * ny];
            int count = 0;
            double[] fx = new double[width];
            for (int cy = 0; cy < ny; cy++) {
                for (int cx = 0; cx * ny < nx * (ny - cy); cx++) {
                    double f = 0;
                    for (int x = 0; x < width; x++) {
                        fx[x] = Math.cos(Math.PI / width * cx * (x + 0.5));
                    }
                    for (int y = 0; y < height; y++) {
                        double fy = Math.cos(Math.PI / height * cy * (y + 0.5));
                        for (int x = 0; x < width; x++) {
                            f += plane[x + y * width] * fx[x] * fy;
                        }
                    }
                    f /= width * height;
                    if (cx > 0 || cy > 0) {
                        ac[count++] = f;
                        scale = Math.max(scale, Math.abs(f));
                    } else {
                        dc = f;
                    }
                }
            }
            double[] normalised = java.util.Arrays.copyOf(ac, count);
            if (scale > 0) {
                for (int i = 0; i < count; i++) {
                    normalised[i] = 0.5 + 0.5 / scale * normalised[i];
                }
            }
            return new Channel(dc, normalised, scale);
        }
    }
}
