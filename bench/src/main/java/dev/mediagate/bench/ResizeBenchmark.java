package dev.mediagate.bench;

import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.Jpeg;
import dev.mediagate.imaging.MediaOutcome;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.imaging.VariantSpec;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * The default variant set from 12 MP and 24 MP photo-like JPEGs, in this JVM, against {@code vipsthumbnail} run once per
 * size ({@code [Q=82,strip]}); then aliasing on a zone plate: PSNR of each variant against an ImageMagick Lanczos resize
 * of the same size, for mediagate and for vipsthumbnail. Prints ms per image, the ratio, peak heap and peak RSS.
 */
public final class ResizeBenchmark {

    private static final ResizeConfig DEFAULTS = new ResizeConfig(
            VariantSpec.parseList("VARIANTS", ResizeConfig.DEFAULT_VARIANTS), 50_000_000L, 82);
    private static final int RUNS = 7;

    private ResizeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "bench/target/resize").toAbsolutePath();
        Files.createDirectories(work);
        ImagePipeline pipeline = new ImagePipeline(DEFAULTS);
        boolean vips = available("vipsthumbnail", "--version");
        System.out.printf("JVM: %s, flags: %s%n", Runtime.version(), ManagementFactory.getRuntimeMXBean().getInputArguments());

        for (int[] size : new int[][] {{4000, 3000}, {6000, 4000}}) {
            Path photo = work.resolve("photo-" + size[0] + "x" + size[1] + ".jpg");
            if (!Files.exists(photo)) {
                Files.write(photo, photoLike(size[0], size[1]));
            }
            byte[] bytes = Files.readAllBytes(photo);
            for (int i = 0; i < 3; i++) {
                pipeline.process(bytes, FileType.JPEG);
            }
            resetPeaks();
            long[] javaTimes = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                MediaOutcome outcome = pipeline.process(bytes, FileType.JPEG);
                javaTimes[i] = System.nanoTime() - start;
                if (!(outcome instanceof MediaOutcome.Image)) {
                    throw new IllegalStateException("benchmark photo was not processed: " + outcome);
                }
            }
            double javaMs = median(javaTimes) / 1e6;
            String line = String.format("%d MP (%dx%d, %d KiB): mediagate %.0f ms/image (median of %d), peak heap %d MiB",
                    size[0] * size[1] / 1_000_000, size[0], size[1], bytes.length / 1024, javaMs, RUNS, peakHeapMiB());
            if (vips) {
                double vipsMs = vipsMillis(photo, work);
                line += String.format(", vipsthumbnail x3 %.0f ms, ratio %.2f", vipsMs, javaMs / vipsMs);
            } else {
                line += ", vipsthumbnail not installed (apt-get install libvips-tools)";
            }
            System.out.println(line);
        }
        System.out.printf("peak RSS of this JVM: %d MiB%n", peakRssMiB());
        if (vips && available("convert", "-version")) {
            zonePlate(pipeline, work, 3000, FileType.PNG);
            // Large enough for JPEG reduction while decoding (to 1/2 for the large variant): aliasing of that path too.
            zonePlate(pipeline, work, 6000, FileType.JPEG);
        } else {
            System.out.println("zone plate check skipped: needs vipsthumbnail and ImageMagick's convert");
        }
    }

    private static void zonePlate(ImagePipeline pipeline, Path work, int side, FileType format) throws Exception {
        String extension = format == FileType.PNG ? "png" : "jpg";
        Path zone = work.resolve("zoneplate-" + side + "." + extension);
        if (!Files.exists(zone)) {
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_3BYTE_BGR);
            byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            double k = Math.PI / side;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double dx = x - side / 2.0;
                    double dy = y - side / 2.0;
                    int v = (int) Math.round(127.5 + 127.5 * Math.cos(k * (dx * dx + dy * dy) / 2));
                    int p = (y * side + x) * 3;
                    data[p] = data[p + 1] = data[p + 2] = (byte) v;
                }
            }
            if (format == FileType.PNG) {
                ImageIO.write(image, "png", zone.toFile());
            } else {
                Files.write(zone, Jpeg.encode(image, 95));
            }
        }
        MediaOutcome.Image outcome = (MediaOutcome.Image) pipeline.process(Files.readAllBytes(zone), format);
        System.out.println("zone plate " + side + "x" + side + " " + extension
                + ", PSNR against ImageMagick -filter Lanczos -resize (higher is better):");
        for (MediaOutcome.Variant variant : outcome.variants()) {
            String geometry = variant.width() + "x" + variant.height();
            Path reference = work.resolve("zone-ref-" + side + "-" + variant.name() + ".png");
            run("convert", zone.toString(), "-filter", "Lanczos", "-resize", geometry + "!", reference.toString());
            Path vipsOut = work.resolve("zone-vips-" + side + "-" + variant.name() + ".jpg");
            run("vipsthumbnail", zone.toString(), "--size", variant.width() + "x" + variant.height(), "-o", vipsOut + "[Q=82,strip]");
            BufferedImage ref = ImageIO.read(reference.toFile());
            double ours = psnr(ImageIO.read(new ByteArrayInputStream(variant.bytes())), ref);
            double theirs = psnr(ImageIO.read(vipsOut.toFile()), ref);
            System.out.printf("  %-7s %-10s mediagate %.2f dB, vipsthumbnail %.2f dB, difference %+.2f dB%n",
                    variant.name(), geometry, ours, theirs, ours - theirs);
        }
    }

    private static double vipsMillis(Path photo, Path work) throws Exception {
        long[] times = new long[RUNS];
        for (int i = -1; i < RUNS; i++) {
            long start = System.nanoTime();
            for (String size : List.of("2048", "1024", "320")) {
                run("vipsthumbnail", photo.toString(), "--size", size + "x" + size, "-o", work.resolve("vips-" + size + ".jpg") + "[Q=82,strip]");
            }
            if (i >= 0) {
                times[i] = System.nanoTime() - start;
            }
        }
        return median(times) / 1e6;
    }

    /** A photo stand-in that compresses like one: smooth light, textured detail, sharp edges and sensor noise. */
    static byte[] photoLike(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        Random noise = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double light = 0.5 + 0.4 * Math.sin(x * 2.0 / width) * Math.cos(y * 3.0 / height);
                double texture = 0.08 * Math.sin(x * 0.31 + Math.sin(y * 0.05) * 4) * Math.cos(y * 0.27);
                double edge = ((x / 97 + y / 131) % 5 == 0) ? 0.15 : 0;
                int p = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    double v = (light + texture + edge) * (0.8 + 0.1 * c) + noise.nextGaussian() * 0.02;
                    data[p + c] = (byte) Math.max(0, Math.min(255, (int) (v * 255)));
                }
            }
        }
        return Jpeg.encode(image, 90);
    }

    static double psnr(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new IllegalArgumentException("sizes differ: " + a.getWidth() + "x" + a.getHeight() + " vs " + b.getWidth() + "x" + b.getHeight());
        }
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    double d = ((p >> shift) & 0xFF) - ((q >> shift) & 0xFF);
                    sum += d * d;
                }
            }
        }
        double mse = sum / (3.0 * a.getWidth() * a.getHeight());
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }

    private static long peakRssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static boolean available(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed: " + output);
        }
    }
}
