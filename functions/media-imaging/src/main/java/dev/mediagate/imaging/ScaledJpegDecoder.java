package dev.mediagate.imaging;

import dev.mediagate.imaging.Resampler.Pixels;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Decodes the JPEGs cameras and phones write (sequential Huffman, 8-bit, one scan, grey or YCbCr without ICC profile or
 * Adobe marker) straight to 1/1, 1/2, 1/4 or 1/8 of their size, as libjpeg's DCT scaling does: each reduced pixel is the
 * exact average of the full-size pixels it covers, computed from the coefficients, so a large photo is never held at
 * full size. Anything else, and any damaged data, throws {@link Unsupported}: the caller then decodes with ImageIO,
 * which decides what a broken file is.
 */
final class ScaledJpegDecoder {

    /** This decoder does not take the file; another one must. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63};
    /** The AAN IDCT's per-frequency scale factors, folded into the quantisation tables. */
    private static final double[] AAN_SCALE = {
        1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.541196100, 0.275899379};
    private static final int LOOKAHEAD = 9;
    /** MCU rows waiting for the other core before this thread converts one itself (measured: 2 idles it, 6 does not). */
    private static final int QUEUED_ROWS = 6;

    private final byte[] data;
    private int pos;
    /** Per table, in zigzag order: the quantiser times the AAN scale of its frequency pair, divided by 8. */
    private final float[][] quantization = new float[4][];
    private final Huffman[] dcTables = new Huffman[4];
    private final Huffman[] acTables = new Huffman[4];
    private int restartInterval;
    private int width;
    private int height;
    private Component[] components;

    private ScaledJpegDecoder(byte[] data) {
        this.data = data;
    }

    /** Decodes {@code jpeg} reduced by {@code 1 << shift} (0–3) to 3-channel BGR pixels. */
    static Pixels decode(byte[] jpeg, int shift) {
        if (shift < 0 || shift > 3) {
            throw new IllegalArgumentException("shift " + shift);
        }
        try {
            return new ScaledJpegDecoder(jpeg).run(shift);
        } catch (Unsupported e) {
            throw e;
        } catch (RuntimeException e) {
            // Hostile structure (an index out of range in a worker, say) is the full decoder's to judge, never a crash.
            throw new Unsupported("damaged JPEG structure: " + e);
        }
    }

    private static final class Component {
        final int id;
        final int h;
        final int v;
        final int quantTable;
        Huffman dc;
        Huffman ac;
        int predictor;
        /** Reduced samples per block side, and how many output pixels each covers. */
        int blockW;
        int blockH;
        int upX;
        int upY;
        /** Bytes per row of this component's reduced samples in one MCU row. */
        int planeStride;
        /** For each output column, the column of this component's samples that covers it. */
        int[] sampleColumn;

        Component(int id, int h, int v, int quantTable) {
            this.id = id;
            this.h = h;
            this.v = v;
            this.quantTable = quantTable;
        }
    }

    private Pixels run(int shift) {
        if (u8() != 0xFF || u8() != 0xD8) {
            throw new Unsupported("not a JPEG");
        }
        while (true) {
            int marker = nextMarker();
            switch (marker) {
                case 0xC0, 0xC1 -> frame();
                case 0xC4 -> huffmanTables();
                case 0xDB -> quantizationTables();
                case 0xDD -> {
                    expectLength(4);
                    restartInterval = u16();
                }
                case 0xDA -> {
                    return scan(shift);
                }
                case 0xE2, 0xEE -> throw new Unsupported("ICC profile or Adobe colour transform");
                case 0xD9 -> throw new Unsupported("no scan");
                default -> {
                    if (marker >= 0xC2 && marker <= 0xCF && marker != 0xC8 && marker != 0xCC) {
                        throw new Unsupported("not a sequential Huffman JPEG");
                    }
                    skipSegment();
                }
            }
        }
    }

    private int nextMarker() {
        if (u8() != 0xFF) {
            throw new Unsupported("marker expected");
        }
        int marker = u8();
        while (marker == 0xFF) {
            marker = u8();
        }
        return marker;
    }

    private void skipSegment() {
        int length = u16();
        if (length < 2 || pos + length - 2 > data.length) {
            throw new Unsupported("segment runs past the end");
        }
        pos += length - 2;
    }

    private void expectLength(int expected) {
        if (u16() != expected) {
            throw new Unsupported("bad segment length");
        }
    }

    private void frame() {
        if (components != null) {
            throw new Unsupported("two frames");
        }
        int end = pos + u16();
        if (u8() != 8) {
            throw new Unsupported("not 8-bit");
        }
        height = u16();
        width = u16();
        int count = u8();
        if (width == 0 || height == 0 || (count != 1 && count != 3)) {
            throw new Unsupported("unsupported frame");
        }
        components = new Component[count];
        for (int i = 0; i < count; i++) {
            int id = u8();
            int sampling = u8();
            int table = u8();
            int h = count == 1 ? 1 : sampling >> 4;
            int v = count == 1 ? 1 : sampling & 15;
            if (h < 1 || h > 4 || v < 1 || v > 4 || table > 3) {
                throw new Unsupported("bad component");
            }
            components[i] = new Component(id, h, v, table);
        }
        if (pos != end) {
            throw new Unsupported("bad frame length");
        }
        // Components named 'R', 'G', 'B' hold RGB, not YCbCr, for libjpeg and the decoders built on it.
        if (count == 3 && components[0].id == 'R' && components[1].id == 'G' && components[2].id == 'B') {
            throw new Unsupported("RGB components");
        }
    }

    private void quantizationTables() {
        int end = pos + u16();
        while (pos < end) {
            int spec = u8();
            int precision = spec >> 4;
            int id = spec & 15;
            if (id > 3 || precision > 1) {
                throw new Unsupported("bad quantisation table");
            }
            float[] table = new float[64];
            for (int k = 0; k < 64; k++) {
                int natural = ZIGZAG[k];
                int quantiser = precision == 0 ? u8() : u16();
                table[k] = (float) (quantiser * AAN_SCALE[natural >> 3] * AAN_SCALE[natural & 7] / 8);
            }
            quantization[id] = table;
        }
        if (pos != end) {
            throw new Unsupported("bad quantisation length");
        }
    }

    private void huffmanTables() {
        int end = pos + u16();
        while (pos < end) {
            int spec = u8();
            int tableClass = spec >> 4;
            int id = spec & 15;
            if (tableClass > 1 || id > 3) {
                throw new Unsupported("bad Huffman table");
            }
            int[] counts = new int[17];
            int total = 0;
            for (int length = 1; length <= 16; length++) {
                counts[length] = u8();
                total += counts[length];
            }
            if (total > 256) {
                throw new Unsupported("bad Huffman table");
            }
            int[] symbols = new int[total];
            for (int i = 0; i < total; i++) {
                symbols[i] = u8();
            }
            Huffman table = new Huffman(counts, symbols);
            (tableClass == 0 ? dcTables : acTables)[id] = table;
        }
        if (pos != end) {
            throw new Unsupported("bad Huffman length");
        }
    }

    private Pixels scan(int shift) {
        if (components == null) {
            throw new Unsupported("scan before frame");
        }
        int end = pos + u16();
        int count = u8();
        if (count != components.length) {
            throw new Unsupported("not a single interleaved scan");
        }
        for (int i = 0; i < count; i++) {
            int id = u8();
            int tables = u8();
            Component component = components[i];
            if (component.id != id || dcTables[tables >> 4 & 3] == null || acTables[tables & 3] == null
                    || quantization[component.quantTable] == null) {
                throw new Unsupported("scan refers to missing tables");
            }
            component.dc = dcTables[tables >> 4 & 3];
            component.ac = acTables[tables & 3];
        }
        if (u8() != 0 || u8() != 63 || u8() != 0 || pos != end) {
            throw new Unsupported("not a baseline scan");
        }
        return decodeScan(shift);
    }

    private Pixels decodeScan(int shift) {
        int hMax = 1;
        int vMax = 1;
        int blocksPerMcu = 0;
        for (Component c : components) {
            hMax = Math.max(hMax, c.h);
            vMax = Math.max(vMax, c.v);
            blocksPerMcu += c.h * c.v;
        }
        if (blocksPerMcu > 10) {
            throw new Unsupported("more than the 10 blocks per MCU the standard allows");
        }
        int scaled = 8 >> shift;
        int mcusX = (width + 8 * hMax - 1) / (8 * hMax);
        int mcusY = (height + 8 * vMax - 1) / (8 * vMax);
        for (Component c : components) {
            if (hMax % c.h != 0 || vMax % c.v != 0) {
                throw new Unsupported("non-integral sampling");
            }
            int wanted = scaled * (hMax / c.h);
            c.blockW = Math.min(8, wanted);
            c.upX = wanted / c.blockW;
            wanted = scaled * (vMax / c.v);
            c.blockH = Math.min(8, wanted);
            c.upY = wanted / c.blockH;
            c.planeStride = mcusX * c.h * c.blockW;
        }
        int outW = (width + (1 << shift) - 1) >> shift;
        for (Component c : components) {
            c.sampleColumn = new int[outW];
            for (int x = 0; x < outW; x++) {
                c.sampleColumn[x] = x / c.upX;
            }
        }
        int outH = (height + (1 << shift) - 1) >> shift;
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(outW, outH), 3)];
        int mcuOutH = vMax * scaled;
        BitReader bits = new BitReader(data, pos);
        // Entropy decoding is sequential. Decoded MCU rows queue for another core (IDCT and colour conversion); when the
        // queue is full this thread converts the row itself, so both cores stay busy whichever part is slower.
        Deque<McuRow> free = new ArrayDeque<>();
        for (int i = 0; i < QUEUED_ROWS + 2; i++) {
            free.add(new McuRow(mcusX, blocksPerMcu));
        }
        Deque<Handoff> queued = new ArrayDeque<>();
        try {
            int mcusLeft = restartInterval;
            int expectedRestart = 0;
            for (int my = 0; my < mcusY; my++) {
                while (!queued.isEmpty() && (free.isEmpty() || queued.peekFirst().done().isDone())) {
                    Handoff finished = queued.removeFirst();
                    finished.done().join();
                    free.add(finished.row());
                }
                McuRow row = free.removeFirst();
                int block = 0;
                for (int mx = 0; mx < mcusX; mx++) {
                    if (restartInterval > 0) {
                        if (mcusLeft == 0) {
                            bits.restart(0xD0 + expectedRestart);
                            expectedRestart = (expectedRestart + 1) & 7;
                            for (Component c : components) {
                                c.predictor = 0;
                            }
                            mcusLeft = restartInterval;
                        }
                        mcusLeft--;
                    }
                    for (Component c : components) {
                        float[] quant = quantization[c.quantTable];
                        for (int b = c.h * c.v; b > 0; b--, block++) {
                            row.extents[block] = decodeBlock(bits, c, quant, row.coefficients, block * 64);
                        }
                    }
                }
                int firstRow = my * mcuOutH;
                int rowCount = Math.min(mcuOutH, outH - firstRow);
                if (queued.size() < QUEUED_ROWS) {
                    queued.add(new Handoff(row, CompletableFuture.runAsync(
                            () -> reconstruct(row, out, outW, firstRow, rowCount), ForkJoinPool.commonPool())));
                } else {
                    reconstruct(row, out, outW, firstRow, rowCount);
                    free.add(row);
                }
            }
        } finally {
            for (Handoff handoff : queued) {
                handoff.done().exceptionally(e -> null).join();
            }
        }
        for (Handoff handoff : queued) {
            handoff.done().join();
        }
        return new Pixels(out, outW, outH, 3);
    }

    private record Handoff(McuRow row, CompletableFuture<Void> done) {
    }

    /** The coefficients of one row of MCUs, and the reduced samples they become. */
    private final class McuRow {
        final int mcus;
        final float[] coefficients;
        final int[] extents;
        final byte[][] planes = new byte[components.length][];

        McuRow(int mcusX, int blocksPerMcu) {
            mcus = mcusX;
            coefficients = new float[mcusX * blocksPerMcu * 64];
            extents = new int[mcusX * blocksPerMcu];
            for (int i = 0; i < components.length; i++) {
                Component c = components[i];
                planes[i] = new byte[c.planeStride * c.v * c.blockH];
            }
        }
    }

    private void reconstruct(McuRow row, byte[] out, int outW, int firstRow, int rowCount) {
        float[] work = new float[64];
        float[] line = new float[8];
        float[] column = new float[8];
        int block = 0;
        for (int mx = 0; mx < row.mcus; mx++) {
            for (int i = 0; i < components.length; i++) {
                Component c = components[i];
                for (int by = 0; by < c.v; by++) {
                    for (int bx = 0; bx < c.h; bx++, block++) {
                        int x = (mx * c.h + bx) * c.blockW;
                        int y = by * c.blockH;
                        inverseDct(row.coefficients, block * 64, row.extents[block], work, line, column, c.blockW, c.blockH,
                                row.planes[i], y * c.planeStride + x, c.planeStride);
                    }
                }
            }
        }
        colourRows(row.planes, out, outW, firstRow, rowCount);
    }

    /** Decodes one block into natural order; returns its extent: rows with a coefficient × 16 + columns with one. */
    private static int decodeBlock(BitReader bits, Component c, float[] quant, float[] coefficients, int offset) {
        java.util.Arrays.fill(coefficients, offset, offset + 64, 0f);
        int lastRow = 0;
        int lastColumn = 0;
        int size = bits.decode(c.dc);
        if (size > 11) {
            throw new Unsupported("bad DC difference");
        }
        int diff = size == 0 ? 0 : bits.extend(size);
        c.predictor += diff;
        coefficients[offset] = c.predictor * quant[0];
        for (int k = 1; k < 64; ) {
            int rs = bits.decode(c.ac);
            int run = rs >> 4;
            int s = rs & 15;
            if (s == 0) {
                if (run != 15) {
                    break;
                }
                k += 16;
                continue;
            }
            k += run;
            if (k > 63) {
                throw new Unsupported("coefficient past the block");
            }
            int natural = ZIGZAG[k];
            coefficients[offset + natural] = bits.extend(s) * quant[k];
            lastRow = Math.max(lastRow, natural >> 3);
            lastColumn = Math.max(lastColumn, natural & 7);
            k++;
        }
        return (lastRow + 1) << 4 | (lastColumn + 1);
    }

    /**
     * Separable IDCT (AAN, as libjpeg's float IDCT) averaged down to {@code w × h}, level-shifted into {@code plane}:
     * rows of coefficients first, then the {@code w} columns. Rows past {@code extent} hold no coefficient and are skipped.
     */
    private static void inverseDct(float[] in, int inOffset, int extent, float[] work, float[] line, float[] column,
            int w, int h, byte[] plane, int offset, int stride) {
        int rows = extent >> 4;
        int columns = extent & 15;
        if (rows == 1 && columns == 1) {
            byte flat = clamp(Math.round(in[inOffset] + 128f));
            for (int j = 0; j < h; j++) {
                java.util.Arrays.fill(plane, offset + j * stride, offset + j * stride + w, flat);
            }
            return;
        }
        for (int v = 0; v < rows; v++) {
            int row = v * 8;
            if (columns == 1) {
                java.util.Arrays.fill(line, in[inOffset + row]);
            } else {
                idct8(in, inOffset + row, line);
            }
            average(line, w, work, row);
        }
        for (int i = 0; i < w; i++) {
            for (int v = 0; v < 8; v++) {
                column[v] = v < rows ? work[v * 8 + i] : 0f;
            }
            idct8(column, 0, line);
            average(line, h, column, 0);
            for (int j = 0; j < h; j++) {
                plane[offset + j * stride + i] = clamp((int) (column[j] + 128.5f));
            }
        }
    }

    /** The 8 values of {@code line} averaged down to {@code n} (1, 2, 4 or 8), into {@code out} from {@code offset}. */
    private static void average(float[] line, int n, float[] out, int offset) {
        int span = 8 / n;
        for (int i = 0; i < n; i++) {
            float sum = 0;
            for (int k = i * span; k < (i + 1) * span; k++) {
                sum += line[k];
            }
            out[offset + i] = sum / span;
        }
    }

    /** One-dimensional 8-point AAN IDCT of the prescaled coefficients {@code in[offset .. offset + 7]}. */
    private static void idct8(float[] in, int offset, float[] out) {
        float tmp0 = in[offset];
        float tmp1 = in[offset + 2];
        float tmp2 = in[offset + 4];
        float tmp3 = in[offset + 6];
        float tmp10 = tmp0 + tmp2;
        float tmp11 = tmp0 - tmp2;
        float tmp13 = tmp1 + tmp3;
        float tmp12 = (tmp1 - tmp3) * 1.414213562f - tmp13;
        tmp0 = tmp10 + tmp13;
        tmp3 = tmp10 - tmp13;
        tmp1 = tmp11 + tmp12;
        tmp2 = tmp11 - tmp12;
        float tmp4 = in[offset + 1];
        float tmp5 = in[offset + 3];
        float tmp6 = in[offset + 5];
        float tmp7 = in[offset + 7];
        float z13 = tmp6 + tmp5;
        float z10 = tmp6 - tmp5;
        float z11 = tmp4 + tmp7;
        float z12 = tmp4 - tmp7;
        tmp7 = z11 + z13;
        tmp11 = (z11 - z13) * 1.414213562f;
        float z5 = (z10 + z12) * 1.847759065f;
        tmp10 = 1.082392200f * z12 - z5;
        tmp12 = -2.613125930f * z10 + z5;
        tmp6 = tmp12 - tmp7;
        tmp5 = tmp11 - tmp6;
        tmp4 = tmp10 + tmp5;
        out[0] = tmp0 + tmp7;
        out[7] = tmp0 - tmp7;
        out[1] = tmp1 + tmp6;
        out[6] = tmp1 - tmp6;
        out[2] = tmp2 + tmp5;
        out[5] = tmp2 - tmp5;
        out[4] = tmp3 + tmp4;
        out[3] = tmp3 - tmp4;
    }

    private void colourRows(byte[][] planes, byte[] out, int outW, int firstRow, int rows) {
        if (components.length == 1) {
            Component grey = components[0];
            byte[] plane = planes[0];
            for (int r = 0; r < rows; r++) {
                int src = r * grey.planeStride;
                int q = ((firstRow + r) * outW) * 3;
                for (int x = 0; x < outW; x++) {
                    byte value = plane[src + x];
                    out[q++] = value;
                    out[q++] = value;
                    out[q++] = value;
                }
            }
            return;
        }
        Component cy = components[0];
        Component cb = components[1];
        Component cr = components[2];
        byte[] planeY = planes[0];
        byte[] planeB = planes[1];
        byte[] planeR = planes[2];
        boolean direct = cy.upX == 1 && cb.upX == 1 && cr.upX == 1;
        for (int r = 0; r < rows; r++) {
            int rowY = (r / cy.upY) * cy.planeStride;
            int rowB = (r / cb.upY) * cb.planeStride;
            int rowR = (r / cr.upY) * cr.planeStride;
            int q = ((firstRow + r) * outW) * 3;
            if (direct) {
                for (int x = 0; x < outW; x++, q += 3) {
                    store(out, q, planeY[rowY + x], planeB[rowB + x], planeR[rowR + x]);
                }
            } else {
                int[] columnY = cy.sampleColumn;
                int[] columnB = cb.sampleColumn;
                int[] columnR = cr.sampleColumn;
                for (int x = 0; x < outW; x++, q += 3) {
                    store(out, q, planeY[rowY + columnY[x]], planeB[rowB + columnB[x]], planeR[rowR + columnR[x]]);
                }
            }
        }
    }

    /** One JFIF YCbCr sample as BGR, in 16-bit fixed point. */
    private static void store(byte[] out, int q, byte luma, byte blueDifference, byte redDifference) {
        int y = (luma & 0xFF) << 16;
        int b = (blueDifference & 0xFF) - 128;
        int r = (redDifference & 0xFF) - 128;
        out[q] = clamp((y + 116130 * b + 32768) >> 16);
        out[q + 1] = clamp((y - 22554 * b - 46802 * r + 32768) >> 16);
        out[q + 2] = clamp((y + 91881 * r + 32768) >> 16);
    }

    private static byte clamp(int value) {
        return (byte) (value < 0 ? 0 : Math.min(value, 255));
    }

    private int u8() {
        if (pos >= data.length) {
            throw new Unsupported("ends early");
        }
        return data[pos++] & 0xFF;
    }

    private int u16() {
        return u8() << 8 | u8();
    }

    /** A canonical Huffman table: a 9-bit lookahead for the short codes, code ranges for the long ones. */
    private static final class Huffman {
        final short[] fast = new short[1 << LOOKAHEAD];
        final int[] maxCode = new int[18];
        final int[] valueOffset = new int[17];
        final int[] symbols;

        Huffman(int[] counts, int[] symbols) {
            this.symbols = symbols;
            java.util.Arrays.fill(fast, (short) -1);
            int code = 0;
            int k = 0;
            for (int length = 1; length <= 16; length++) {
                valueOffset[length] = k - code;
                for (int i = 0; i < counts[length]; i++, k++, code++) {
                    if (code >= 1 << length) {
                        throw new Unsupported("bad Huffman table");
                    }
                    if (length <= LOOKAHEAD) {
                        int first = code << (LOOKAHEAD - length);
                        for (int j = 0; j < 1 << (LOOKAHEAD - length); j++) {
                            fast[first + j] = (short) (length << 8 | symbols[k]);
                        }
                    }
                }
                maxCode[length] = counts[length] == 0 ? -1 : code - 1;
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
        }
    }

    /** Entropy-coded bits with 0xFF00 unstuffed; a marker ends the data and is answered with zero bits. */
    private static final class BitReader {
        private final byte[] data;
        private int pos;
        private long buffer;
        private int count;
        private int padding;

        BitReader(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        private void fill() {
            while (count <= 56) {
                int b = 0;
                if (pos < data.length && padding == 0) {
                    b = data[pos] & 0xFF;
                    if (b == 0xFF) {
                        int next = pos + 1 < data.length ? data[pos + 1] & 0xFF : -1;
                        if (next == 0) {
                            pos += 2;
                        } else {
                            b = 0;
                            padding += 8;
                        }
                    } else {
                        pos++;
                    }
                } else {
                    padding += 8;
                }
                buffer |= (long) b << (56 - count);
                count += 8;
            }
        }

        private void consume(int n) {
            buffer <<= n;
            count -= n;
            if (count < padding) {
                throw new Unsupported("entropy-coded data ends early");
            }
        }

        int decode(Huffman table) {
            if (count < 16) {
                fill();
            }
            int peek = (int) (buffer >>> (64 - LOOKAHEAD));
            int entry = table.fast[peek];
            if (entry >= 0) {
                consume(entry >> 8);
                return entry & 0xFF;
            }
            int code = (int) (buffer >>> 48);
            for (int length = LOOKAHEAD + 1; length <= 16; length++) {
                int prefix = code >>> (16 - length);
                if (prefix <= table.maxCode[length]) {
                    consume(length);
                    int index = prefix + table.valueOffset[length];
                    if (index < 0 || index >= table.symbols.length) {
                        throw new Unsupported("bad Huffman code");
                    }
                    return table.symbols[index];
                }
            }
            throw new Unsupported("bad Huffman code");
        }

        /** Reads {@code size} bits and extends them to the signed value they code. */
        int extend(int size) {
            if (count < size) {
                fill();
            }
            int value = (int) (buffer >>> (64 - size));
            consume(size);
            return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
        }

        /** Between restart intervals: only the last byte's padding may be left, then the expected RSTn marker. */
        void restart(int marker) {
            if (count - padding >= 8 || pos + 1 >= data.length
                    || (data[pos] & 0xFF) != 0xFF || (data[pos + 1] & 0xFF) != marker) {
                throw new Unsupported("restart marker missing");
            }
            pos += 2;
            buffer = 0;
            count = 0;
            padding = 0;
        }
    }
}
