package dev.mediagate.bench;

import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.testing.Images;
import dev.mediagate.imaging.MediaOutcome;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.imaging.VariantFormat;
import dev.mediagate.imaging.VariantSpec;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.local.lambda.SharpLibvips;
import java.util.Set;
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
 * The resizer's engine (libvips through FFM) making the default variant set from 12 MP and 24 MP photo-like JPEGs,
 * everything the handler does included (header check, orientation, colour, placeholder, encodes): JPEG only, with
 * the default WebP alternates, and with AVIF. In the same run, on the same cores: {@code vipsthumbnail} once per size
 * ({@code [Q=82,strip]}) and sharp ({@code bench/sharp}) making the same set. Then aliasing on two zone plates: PSNR of
 * each variant against an ImageMagick Lanczos resize of the same size, for mediagate and for vipsthumbnail. Finally the
 * bytes of WebP against JPEG. Argument 2: libvips' worker threads (1 under {@code taskset -c 0}, 2 on two cores).
 */
public final class ResizeBenchmark {

    private static final List<VariantSpec> VARIANTS = VariantSpec.parseList("VARIANTS", ResizeConfig.DEFAULT_VARIANTS);
    private static final int ROUNDS = 9;

    private ResizeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "bench/target/resize").toAbsolutePath();
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Files.createDirectories(work);
        Libvips vips = Libvips.load(SharpLibvips.library(), threads);
        ImagePipeline jpegOnly = pipeline(vips, Set.of());
        ImagePipeline withWebp = pipeline(vips, Set.of(VariantFormat.WEBP));
        ImagePipeline withAvif = pipeline(vips, Set.of(VariantFormat.AVIF));
        boolean vipsthumbnail = available("vipsthumbnail", "--version");
        Path sharp = Path.of("bench/sharp").toAbsolutePath();
        boolean node = Files.isDirectory(sharp.resolve("node_modules/sharp"));
        System.out.printf("libvips worker threads: %d, JVM flags: %s%n", threads, ManagementFactory.getRuntimeMXBean().getInputArguments());

        boolean zonesOnly = args.length > 2 && args[2].equals("zones");
        for (int[] size : zonesOnly ? new int[0][] : new int[][] {{4000, 3000}, {6000, 4000}}) {
            Path photo = work.resolve("photo-" + size[0] + "x" + size[1] + ".jpg");
            if (!Files.exists(photo)) {
                Files.write(photo, photoLike(size[0], size[1]));
            }
            byte[] bytes = Files.readAllBytes(photo);
            String mp = size[0] * size[1] / 1_000_000 + " MP";
            // Interleaved rounds, so that a slow minute of this shared machine hits every contender alike.
            Samples samples = new Samples();
            for (int round = 0; round < ROUNDS; round++) {
                if (vipsthumbnail) {
                    samples.add("vips", vipsMillis(photo, work, threads));
                }
                double jpeg = millis(jpegOnly, bytes, 3);
                double webp = millis(withWebp, bytes, 3);
                samples.add("jpeg", jpeg);
                samples.add("webp", webp);
                if (node) {
                    double sharpJpeg = sharpMillis(sharp, photo, "jpeg", threads);
                    double sharpWebp = sharpMillis(sharp, photo, "webp", threads);
                    samples.add("sharp-jpeg", sharpJpeg);
                    samples.add("sharp-webp", sharpWebp);
                    // Paired within the round: what a slow minute does to both cancels out of the ratio.
                    samples.add("ratio-jpeg", jpeg / sharpJpeg);
                    samples.add("ratio-webp", webp / sharpWebp);
                }
            }
            double vipsMs = samples.median("vips");
            double jpegMs = samples.median("jpeg");
            double webpMs = samples.median("webp");
            double avifMs = millis(withAvif, bytes, 3);
            System.out.printf("%s (%d KiB), medians of %d interleaved rounds: vipsthumbnail x3 %.0f ms%n", mp, bytes.length / 1024,
                    ROUNDS, vipsMs);
            System.out.printf("  mediagate JPEG set        %5.0f ms  %.2fx vipsthumbnail x3%n", jpegMs, jpegMs / vipsMs);
            System.out.printf("  mediagate JPEG+WebP set   %5.0f ms  %.2fx vipsthumbnail x3%n", webpMs, webpMs / vipsMs);
            System.out.printf("  mediagate JPEG+AVIF set   %5.0f ms  %.2fx vipsthumbnail x3%n", avifMs, avifMs / vipsMs);
            if (node) {
                double sharpJpeg = samples.median("sharp-jpeg");
                double sharpWebp = samples.median("sharp-webp");
                System.out.printf("  sharp JPEG set            %5.0f ms  %.2fx vipsthumbnail x3; mediagate/sharp per round: median %.2f%n",
                        sharpJpeg, sharpJpeg / vipsMs, samples.median("ratio-jpeg"));
                System.out.printf("  sharp JPEG+WebP set       %5.0f ms  %.2fx vipsthumbnail x3; mediagate/sharp per round: median %.2f%n",
                        sharpWebp, sharpWebp / vipsMs, samples.median("ratio-webp"));
            } else {
                System.out.println("  sharp not installed (cd bench/sharp && npm ci)");
            }
            if (size[0] == 4000) {
                MediaOutcome.Image image = (MediaOutcome.Image) withWebp.process(bytes, FileType.JPEG);
                for (MediaOutcome.Variant variant : image.variants()) {
                    System.out.printf("  bytes %-6s JPEG %7d, WebP %7d (%.0f%%)%n", variant.name(), variant.bytes().length,
                            variant.alternates().get(0).bytes().length, 100.0 * variant.alternates().get(0).bytes().length / variant.bytes().length);
                }
            }
        }
        if (vipsthumbnail && available("convert", "-version")) {
            // Frequencies from 0 at the centre to the source's Nyquist limit at the edge (PNG), and a band that lies
            // wholly above what a 320 px thumbnail can hold, so a naive resize shows it as moiré (JPEG).
            zonePlate(jpegOnly, work, "zoneplate-full", 3000, 0.0, 0.5, FileType.PNG);
            zonePlate(jpegOnly, work, "zoneplate-high", 3000, 0.2, 0.45, FileType.JPEG);
        } else {
            System.out.println("zone plate check skipped: needs vipsthumbnail and ImageMagick's convert");
        }
    }

    private static ImagePipeline pipeline(Libvips vips, Set<VariantFormat> formats) {
        return new ImagePipeline(new ResizeConfig(VARIANTS, 50_000_000L, 82, formats), vips);
    }

    private static double millis(ImagePipeline pipeline, byte[] bytes, int runs) {
        for (int i = 0; i < 2; i++) {
            pipeline.process(bytes, FileType.JPEG);
        }
        long[] times = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            MediaOutcome outcome = pipeline.process(bytes, FileType.JPEG);
            times[i] = System.nanoTime() - start;
            if (!(outcome instanceof MediaOutcome.Image)) {
                throw new IllegalStateException("benchmark photo was not processed: " + outcome);
            }
        }
        return median(times) / 1e6;
    }

    /**
     * A zone plate whose local frequency runs from {@code low} to {@code high} cycles per pixel between its centre and
     * its corner; each variant's PSNR against ImageMagick's Lanczos resize, for mediagate and for vipsthumbnail.
     */
    private static void zonePlate(ImagePipeline pipeline, Path work, String name, int side, double low, double high,
            FileType format) throws Exception {
        String extension = format == FileType.PNG ? "png" : "jpg";
        Path zone = work.resolve(name + "." + extension);
        if (!Files.exists(zone)) {
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_3BYTE_BGR);
            byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            double corner = Math.hypot(side / 2.0, side / 2.0);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double r = Math.hypot(x - side / 2.0, y - side / 2.0);
                    // phase = 2π ∫ f(r) dr with f rising linearly from low to high
                    double phase = 2 * Math.PI * (low * r + (high - low) * r * r / (2 * corner));
                    int v = (int) Math.round(127.5 + 127.5 * Math.cos(phase));
                    int p = (y * side + x) * 3;
                    data[p] = data[p + 1] = data[p + 2] = (byte) v;
                }
            }
            if (format == FileType.PNG) {
                ImageIO.write(image, "png", zone.toFile());
            } else {
                Files.write(zone, Images.jpeg(image, 95, false));
            }
        }
        MediaOutcome.Image outcome = (MediaOutcome.Image) pipeline.process(Files.readAllBytes(zone), format);
        System.out.printf("%s %dx%d %s (%.2f to %.2f cycles/px), PSNR against ImageMagick -filter Lanczos -resize (higher is better):%n",
                name, side, side, extension, low, high);
        for (MediaOutcome.Variant variant : outcome.variants()) {
            String geometry = variant.width() + "x" + variant.height();
            Path reference = work.resolve(name + "-ref-" + variant.name() + ".png");
            // PNG24: a grey PNG would be read by Java as linear grey and brightened on the way to RGB.
            run(List.of(), "convert", zone.toString(), "-filter", "Lanczos", "-resize", geometry + "!", "PNG24:" + reference);
            Path vipsOut = work.resolve(name + "-vips-" + variant.name() + ".jpg");
            run(List.of(), "vipsthumbnail", zone.toString(), "--size", variant.width() + "x" + variant.height(), "-o", vipsOut + "[Q=82,strip]");
            BufferedImage ref = ImageIO.read(reference.toFile());
            double ours = psnr(ImageIO.read(new ByteArrayInputStream(variant.bytes())), ref);
            double theirs = psnr(ImageIO.read(vipsOut.toFile()), ref);
            // What aliasing looks like in this measure: point sampling, the naive resize.
            Path naive = work.resolve(name + "-naive-" + variant.name() + ".png");
            run(List.of(), "convert", zone.toString(), "-sample", geometry + "!", "PNG24:" + naive);
            System.out.printf("  %-7s %-10s mediagate %.2f dB, vipsthumbnail %.2f dB, difference %+.2f dB (naive point sampling %.2f dB)%n",
                    variant.name(), geometry, ours, theirs, ours - theirs, psnr(ImageIO.read(naive.toFile()), ref));
        }
    }

    /** Timings by contender. */
    private static final class Samples {
        private final java.util.Map<String, List<Double>> values = new java.util.HashMap<>();

        void add(String contender, double millis) {
            values.computeIfAbsent(contender, c -> new ArrayList<>()).add(millis);
        }

        double median(String contender) {
            List<Double> sorted = new ArrayList<>(values.getOrDefault(contender, List.of(Double.NaN)));
            sorted.sort(null);
            return sorted.get(sorted.size() / 2);
        }
    }

    private static double vipsMillis(Path photo, Path work, int threads) throws Exception {
        long[] times = new long[3];
        List<String> environment = List.of("VIPS_CONCURRENCY=" + threads);
        for (int i = -1; i < times.length; i++) {
            long start = System.nanoTime();
            for (String size : List.of("2048", "1024", "320")) {
                run(environment, "vipsthumbnail", photo.toString(), "--size", size + "x" + size, "-o",
                        work.resolve("vips-" + size + ".jpg") + "[Q=82,strip]");
            }
            if (i >= 0) {
                times[i] = System.nanoTime() - start;
            }
        }
        return median(times) / 1e6;
    }

    private static double sharpMillis(Path sharp, Path photo, String set, int threads) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "variants.mjs", photo.toString(), "3", set)
                .directory(sharp.toFile()).redirectErrorStream(true);
        builder.environment().put("UV_THREADPOOL_SIZE", Integer.toString(threads));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes()).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("sharp failed: " + output);
        }
        return Double.parseDouble(output.lines().reduce((a, b) -> b).orElseThrow());
    }

    /** A photo stand-in that compresses like one: smooth light, textured detail, sharp edges and sensor noise. */
    public static byte[] photoLike(int width, int height) {
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
        return Images.jpeg(image, 90, false);
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

    private static boolean available(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void run(List<String> environment, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        environment.forEach(entry -> builder.environment().put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1)));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed: " + output);
        }
    }
}
