package dev.mediagate.imaging;

import dev.mediagate.bench.ResizeBenchmark;
import dev.mediagate.core.files.FileType;
import dev.mediagate.local.lambda.SharpLibvips;
import dev.mediagate.testing.Images;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What #26's features cost on the resizer's engine (one libvips thread; {@code bench/run features} pins one core):
 * a 256×256 cover avatar cut at the centre against libvips' attention finder, from the 12 MP photo; ThumbHash and the
 * dominant colour of a 100 px copy (the Java part: the copy is one more libvips reduction of the smallest variant); an
 * animated GIF made into the default set with and without its animated WebP alternates, and the animated WebP's bytes
 * against the GIF's. In the same run, sharp ({@code bench/sharp/features.mjs}) where it has the feature. In this package
 * for the engine's package-private summaries; it changes nothing in it.
 */
public final class FeatureBenchmark {

    private static final int ROUNDS = 7;

    private FeatureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "bench/target/resize").toAbsolutePath();
        Files.createDirectories(work);
        Libvips vips = Libvips.load(SharpLibvips.library(), 1);
        Path photo = work.resolve("photo-4000x3000.jpg");
        if (!Files.exists(photo)) {
            Files.write(photo, ResizeBenchmark.photoLike(4000, 3000));
        }
        byte[] photoBytes = Files.readAllBytes(photo);
        Path gif = work.resolve("animated-480x270x30.gif");
        if (!Files.exists(gif)) {
            // The JDK's writer stores every frame whole; GIFs people upload come from tools that store only what
            // changed (ImageMagick's -layers Optimize here), so the comparison is against that.
            Path whole = work.resolve("animated-480x270x30-whole-frames.gif");
            Files.write(whole, animatedGif(480, 270, 30));
            Process optimise = new ProcessBuilder("convert", whole.toString(), "-layers", "Optimize", gif.toString())
                    .redirectErrorStream(true).start();
            String output = new String(optimise.getInputStream().readAllBytes());
            if (optimise.waitFor() != 0) {
                throw new IllegalStateException("ImageMagick's convert is needed to optimise the GIF's frames: " + output);
            }
        }
        byte[] gifBytes = Files.readAllBytes(gif);

        ImagePipeline centre = pipeline(vips, "avatar=256x256:cover", Set.of());
        ImagePipeline attention = pipeline(vips, "avatar=256x256:cover:attention", Set.of());
        ImagePipeline entropy = pipeline(vips, "avatar=256x256:cover:entropy", Set.of());
        List<Double> centreMs = new ArrayList<>();
        List<Double> attentionMs = new ArrayList<>();
        List<Double> entropyMs = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            centreMs.add(millis(centre, photoBytes, FileType.JPEG));
            attentionMs.add(millis(attention, photoBytes, FileType.JPEG));
            entropyMs.add(millis(entropy, photoBytes, FileType.JPEG));
        }
        System.out.printf("12 MP photo, one 256x256 cover avatar (JPEG, with the summaries), medians of %d interleaved rounds:%n", ROUNDS);
        System.out.printf("  :cover (centre)      %6.1f ms%n", median(centreMs));
        System.out.printf("  :cover:attention     %6.1f ms (+%.1f ms)%n", median(attentionMs), median(attentionMs) - median(centreMs));
        System.out.printf("  :cover:entropy       %6.1f ms (+%.1f ms)%n", median(entropyMs), median(entropyMs) - median(centreMs));

        Random random = new Random(7);
        byte[] rgba = new byte[100 * 75 * 4];
        random.nextBytes(rgba);
        List<Double> hashUs = new ArrayList<>();
        List<Double> colourUs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long start = System.nanoTime();
            ThumbHash.encode(100, 75, rgba);
            hashUs.add((System.nanoTime() - start) / 1e3);
            start = System.nanoTime();
            DominantColor.of(100, 75, rgba);
            colourUs.add((System.nanoTime() - start) / 1e3);
        }
        System.out.printf("summaries of a 100x75 copy, median of 300 after warm-up: ThumbHash %.0f µs, dominant colour %.0f µs%n",
                median(hashUs.subList(100, 300)), median(colourUs.subList(100, 300)));

        ImagePipeline still = pipeline(vips, ResizeConfig.DEFAULT_VARIANTS, Set.of());
        ImagePipeline moving = pipeline(vips, ResizeConfig.DEFAULT_VARIANTS, Set.of(VariantFormat.WEBP));
        List<Double> stillMs = new ArrayList<>();
        List<Double> movingMs = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            stillMs.add(millis(still, gifBytes, FileType.GIF));
            movingMs.add(millis(moving, gifBytes, FileType.GIF));
        }
        MediaOutcome.Image image = (MediaOutcome.Image) moving.process(gifBytes, FileType.GIF);
        MediaOutcome.Variant large = image.variants().stream().filter(v -> v.name().equals("large")).findFirst().orElseThrow();
        MediaOutcome.Alternate webp = large.alternates().get(0);
        System.out.printf("animated GIF 480x270, %d frames, %d KiB (frames optimised), default set, medians of %d interleaved rounds:%n", image.frames(),
                gifBytes.length / 1024, ROUNDS);
        System.out.printf("  first frame only (JPEG set)             %6.1f ms%n", median(stillMs));
        System.out.printf("  JPEG set + animated WebP alternates     %6.1f ms%n", median(movingMs));
        System.out.printf("  animated WebP at the GIF's size (%dx%d, %d frames): %d KiB, %.0f%% of the GIF%n", large.width(), large.height(),
                webp.frames(), webp.bytes().length / 1024, 100.0 * webp.bytes().length / gifBytes.length);

        Path sharp = Path.of("bench/sharp").toAbsolutePath();
        if (Files.isDirectory(sharp.resolve("node_modules/sharp"))) {
            ProcessBuilder builder = new ProcessBuilder("node", "features.mjs", photo.toString(), gif.toString(), Integer.toString(ROUNDS))
                    .directory(sharp.toFile()).redirectErrorStream(true);
            builder.environment().put("UV_THREADPOOL_SIZE", "1");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("sharp failed: " + output);
            }
            System.out.println("sharp, same photo and GIF, same core (median ms [bytes of the largest]):");
            output.lines().forEach(line -> System.out.println("  " + line));
        } else {
            System.out.println("sharp not installed (cd bench/sharp && npm ci)");
        }
    }

    private static ImagePipeline pipeline(Libvips vips, String variants, Set<VariantFormat> formats) {
        return new ImagePipeline(new ResizeConfig(VariantSpec.parseList("VARIANTS", variants), 50_000_000L, 82, formats), vips);
    }

    private static double millis(ImagePipeline pipeline, byte[] bytes, FileType type) {
        long start = System.nanoTime();
        MediaOutcome outcome = pipeline.process(bytes, type);
        if (!(outcome instanceof MediaOutcome.Image)) {
            throw new IllegalStateException("not processed: " + outcome);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** A short clip as GIFs are: a soft gradient scene with a lit ball crossing it, 40 ms a frame. */
    static byte[] animatedGif(int width, int height, int frames) {
        List<BufferedImage> pictures = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = frame.createGraphics();
            g.setPaint(new GradientPaint(0, 0, new Color(30, 60, 140), width, height, new Color(200, 170, 120)));
            g.fillRect(0, 0, width, height);
            float x = width * (0.1f + 0.8f * i / frames);
            g.setPaint(new RadialGradientPaint(x, height * 0.5f, height * 0.25f, new float[] {0, 1},
                    new Color[] {new Color(255, 240, 200), new Color(200, 60, 30)}));
            g.fillOval((int) (x - height * 0.25f), (int) (height * 0.25f), (int) (height * 0.5f), (int) (height * 0.5f));
            g.dispose();
            pictures.add(frame);
        }
        Integer[] delays = new Integer[frames];
        Arrays.fill(delays, 40);
        return Images.animatedGif(pictures, Arrays.asList(delays));
    }
}
