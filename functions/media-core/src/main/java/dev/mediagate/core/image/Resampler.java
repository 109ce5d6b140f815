package dev.mediagate.core.image;

import java.util.stream.IntStream;

/**
 * High-quality downscaling of interleaved 8-bit pixels (3 channels, or 4 with premultiplied alpha): an exact box
 * (area) average by an integer factor that still leaves at least 1.4× to go, then a separable Lanczos-3 reduce to the
 * exact size. The box step makes large reductions cheap without aliasing; Lanczos-3 keeps edges sharp.
 */
final class Resampler {

    private static final int FRACTION_BITS = 14;
    private static final int ONE = 1 << FRACTION_BITS;
    private static final int HALF = ONE >> 1;
    private static final double LOBES = 3.0;
    /** Box-average while at least this much reduction is left for Lanczos (libvips leaves 2; 1.4 measured faster, as sharp). */
    private static final double BOX_GAP = 1.4;
    /** Rows per parallel task: large enough to amortise scheduling, small enough to keep both cores busy. */
    private static final int ROWS_PER_TASK = 32;

    private Resampler() {
    }

    /** Pixels of one image in memory: {@code width × height × channels} bytes, row by row. */
    record Pixels(byte[] data, int width, int height, int channels) {
    }

    /** Resizes the {@code cropW × cropH} region at {@code (cropX, cropY)} of {@code source} to {@code width × height}. */
    static Pixels resize(Pixels source, int cropX, int cropY, int cropW, int cropH, int width, int height) {
        Pixels region = source;
        int fx = Math.max(1, (int) (cropW / (BOX_GAP * width)));
        int fy = Math.max(1, (int) (cropH / (BOX_GAP * height)));
        if (fx > 1 || fy > 1 || cropX != 0 || cropY != 0 || cropW != source.width() || cropH != source.height()) {
            region = boxShrink(source, cropX, cropY, cropW, cropH, fx, fy);
        }
        if (region.width() == width && region.height() == height) {
            return region;
        }
        Pixels horizontal = region.width() == width ? region : reduceHorizontally(region, width);
        return horizontal.height() == height ? horizontal : reduceVertically(horizontal, height);
    }

    private static Pixels boxShrink(Pixels source, int cropX, int cropY, int cropW, int cropH, int fx, int fy) {
        int ch = source.channels();
        int outW = cropW / fx;
        int outH = cropH / fy;
        byte[] in = source.data();
        byte[] out = new byte[outW * outH * ch];
        int area = fx * fy;
        int rowStride = source.width() * ch;
        int blockStride = fx * ch;
        parallelRows(outH, (from, to) -> {
            int[] sums = new int[outW * ch];
            for (int oy = from; oy < to; oy++) {
                java.util.Arrays.fill(sums, 0);
                for (int dy = 0; dy < fy; dy++) {
                    int rowStart = (cropY + oy * fy + dy) * rowStride + cropX * ch;
                    // Sum each block's columns channel by channel: a unit-stride inner loop the JIT can unroll.
                    for (int dx = 0; dx < blockStride; dx += ch) {
                        int p = rowStart + dx;
                        for (int s = 0; s < sums.length; s += ch, p += blockStride) {
                            for (int c = 0; c < ch; c++) {
                                sums[s + c] += in[p + c] & 0xFF;
                            }
                        }
                    }
                }
                int q = oy * outW * ch;
                int half = area / 2;
                for (int i = 0; i < sums.length; i++) {
                    out[q + i] = (byte) ((sums[i] + half) / area);
                }
            }
        });
        return new Pixels(out, outW, outH, ch);
    }

    private static Pixels reduceHorizontally(Pixels source, int width) {
        int ch = source.channels();
        Kernel kernel = Kernel.lanczos(source.width(), width);
        byte[] in = source.data();
        byte[] out = new byte[width * source.height() * ch];
        int inStride = source.width() * ch;
        int outStride = width * ch;
        int[] start = kernel.start;
        int[] count = kernel.count;
        int[] weights = kernel.weights;
        int taps = kernel.taps;
        parallelRows(source.height(), (from, to) -> {
            for (int y = from; y < to; y++) {
                int rowIn = y * inStride;
                int q = y * outStride;
                for (int o = 0; o < width; o++) {
                    int p = rowIn + start[o] * ch;
                    int w = o * taps;
                    int n = count[o];
                    if (ch == 3) {
                        int c0 = 0;
                        int c1 = 0;
                        int c2 = 0;
                        for (int k = 0; k < n; k++, p += 3) {
                            int weight = weights[w + k];
                            c0 += weight * (in[p] & 0xFF);
                            c1 += weight * (in[p + 1] & 0xFF);
                            c2 += weight * (in[p + 2] & 0xFF);
                        }
                        out[q++] = clamp(c0);
                        out[q++] = clamp(c1);
                        out[q++] = clamp(c2);
                    } else {
                        int c0 = 0;
                        int c1 = 0;
                        int c2 = 0;
                        int c3 = 0;
                        for (int k = 0; k < n; k++, p += 4) {
                            int weight = weights[w + k];
                            c0 += weight * (in[p] & 0xFF);
                            c1 += weight * (in[p + 1] & 0xFF);
                            c2 += weight * (in[p + 2] & 0xFF);
                            c3 += weight * (in[p + 3] & 0xFF);
                        }
                        out[q++] = clamp(c0);
                        out[q++] = clamp(c1);
                        out[q++] = clamp(c2);
                        out[q++] = clamp(c3);
                    }
                }
            }
        });
        return new Pixels(out, width, source.height(), ch);
    }

    private static Pixels reduceVertically(Pixels source, int height) {
        int ch = source.channels();
        Kernel kernel = Kernel.lanczos(source.height(), height);
        byte[] in = source.data();
        int stride = source.width() * ch;
        byte[] out = new byte[stride * height];
        parallelRows(height, (from, to) -> {
            int[] acc = new int[stride];
            for (int o = from; o < to; o++) {
                java.util.Arrays.fill(acc, 0);
                int w = o * kernel.taps;
                for (int k = 0; k < kernel.count[o]; k++) {
                    int weight = kernel.weights[w + k];
                    int p = (kernel.start[o] + k) * stride;
                    for (int i = 0; i < stride; i++) {
                        acc[i] += weight * (in[p + i] & 0xFF);
                    }
                }
                int q = o * stride;
                for (int i = 0; i < stride; i++) {
                    out[q + i] = clamp(acc[i]);
                }
            }
        });
        return new Pixels(out, source.width(), height, ch);
    }

    private static byte clamp(int fixedPoint) {
        int value = (fixedPoint + HALF) >> FRACTION_BITS;
        return (byte) (value < 0 ? 0 : Math.min(value, 255));
    }

    private interface RowRange {
        void run(int from, int to);
    }

    private static void parallelRows(int rows, RowRange work) {
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        if (tasks <= 1) {
            work.run(0, rows);
            return;
        }
        IntStream.range(0, tasks).parallel()
                .forEach(t -> work.run(t * ROWS_PER_TASK, Math.min(rows, (t + 1) * ROWS_PER_TASK)));
    }

    /** Per output pixel: the first input index, how many taps, and their fixed-point weights (summing to one). */
    private static final class Kernel {
        final int[] start;
        final int[] count;
        final int[] weights;
        final int taps;

        private Kernel(int[] start, int[] count, int[] weights, int taps) {
            this.start = start;
            this.count = count;
            this.weights = weights;
            this.taps = taps;
        }

        static Kernel lanczos(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double stretch = Math.max(1.0, scale);
            double support = LOBES * stretch;
            int taps = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * taps];
            double[] raw = new double[taps];
            for (int o = 0; o < outSize; o++) {
                double center = (o + 0.5) * scale;
                int first = Math.max(0, (int) Math.floor(center - support));
                int last = Math.min(inSize - 1, (int) Math.ceil(center + support) - 1);
                int n = Math.min(taps, last - first + 1);
                double total = 0;
                for (int k = 0; k < n; k++) {
                    raw[k] = lanczos3(((first + k + 0.5) - center) / stretch);
                    total += raw[k];
                }
                int fixedTotal = 0;
                int largest = 0;
                for (int k = 0; k < n; k++) {
                    int weight = (int) Math.round(raw[k] / total * ONE);
                    weights[o * taps + k] = weight;
                    fixedTotal += weight;
                    if (Math.abs(weight) > Math.abs(weights[o * taps + largest])) {
                        largest = k;
                    }
                }
                weights[o * taps + largest] += ONE - fixedTotal;
                start[o] = first;
                count[o] = n;
            }
            return new Kernel(start, count, weights, taps);
        }

        private static double lanczos3(double x) {
            double ax = Math.abs(x);
            if (ax < 1e-9) {
                return 1.0;
            }
            if (ax >= LOBES) {
                return 0.0;
            }
            double px = Math.PI * x;
            return LOBES * Math.sin(px) * Math.sin(px / LOBES) / (px * px);
        }
    }
}
