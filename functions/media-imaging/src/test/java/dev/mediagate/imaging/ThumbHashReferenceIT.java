package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.MediaOutcome.Image;
import dev.mediagate.local.lambda.SharpLibvips;
import dev.mediagate.testing.Images;
import dev.mediagate.testing.RequiredTools;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resizer's ThumbHash as the reference library reads it: the npm package {@code thumbhash} (pinned in
 * {@code src/test/thumbhash-js}) decodes each hash the pipeline made, and the picture it draws must match a
 * downscale of the source to the same size; its encoder, given the same pixels as ours, writes the same bytes.
 *
 * <p>The bar: at least {@value #MIN_PSNR_DB} dB PSNR against the downscale, and {@value #MIN_GAIN_OVER_FLAT_DB} dB
 * more than the hash's own average colour alone. ThumbHash keeps at most 7 luminance and 3 chroma cosine terms per axis,
 * 4 bits each, so a hard edge (the landscape's horizon, the disc's rim) caps even a right decode near 21 dB; measured
 * here: landscape 20.8, translucent disc 21.2, portrait 28.8 dB. What a wrong reading gives: the flat average colour
 * (every varying term lost) 13.2, 12.7 and 18.7 dB; the mirrored picture (terms read in the wrong order or sign) 9.4,
 * 13.9 and 13.7 dB, which the control asserts stays under the bar. The absolute bar alone would let a flat portrait
 * through (18.7 dB is close to it); the gain over flat would not.
 */
class ThumbHashReferenceIT {

    static final double MIN_PSNR_DB = 19;
    static final double MIN_GAIN_OVER_FLAT_DB = 5;
    private static final Path PACKAGE = Path.of("src/test/thumbhash-js");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ImagePipeline PIPELINE = new ImagePipeline(new ResizeConfig(
            VariantSpec.parseList("VARIANTS", ResizeConfig.DEFAULT_VARIANTS), 50_000_000L, 82, Set.of(VariantFormat.WEBP)),
            Libvips.load(SharpLibvips.library(), 1));
    private static Path checker;

    @BeforeAll
    static void installTheReferenceLibrary() throws Exception {
        Path npm = RequiredTools.require("npm", "npm (Node.js 20 or newer; apt-get install npm)");
        Path work = Path.of("target/thumbhash-js");
        Files.createDirectories(work);
        for (String file : List.of("package.json", "package-lock.json", "check.mjs")) {
            Files.copy(PACKAGE.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        run(work, npm.toString(), "ci", "--ignore-scripts", "--no-audit", "--no-fund");
        checker = work;
    }

    @Test
    void theReferenceDecoderDrawsEachPicturesHashCloseToItsDownscale() throws Exception {
        Map<String, BufferedImage> pictures = new LinkedHashMap<>();
        pictures.put("landscape photo-like", landscape(1600, 1000));
        pictures.put("portrait photo-like", portrait(700, 1200));
        pictures.put("square with a translucent disc", translucentDisc(500, 500));
        Map<String, String> hashes = new LinkedHashMap<>();
        for (var picture : pictures.entrySet()) {
            boolean alpha = picture.getValue().getColorModel().hasAlpha();
            byte[] bytes = alpha ? Images.png(picture.getValue()) : Images.jpeg(picture.getValue(), 92, false);
            Image image = (Image) PIPELINE.process(bytes, alpha ? FileType.PNG : FileType.JPEG);
            hashes.put(picture.getKey(), image.thumbhash());
        }

        Map<String, JsonNode> decoded = check(hashes, Map.of());

        for (var picture : pictures.entrySet()) {
            JsonNode result = decoded.get(picture.getKey());
            int width = result.get("width").asInt();
            int height = result.get("height").asInt();
            byte[] drawn = Base64.getDecoder().decode(result.get("rgba").asText());
            BufferedImage source = picture.getValue();
            // ThumbHash keeps only an approximate aspect ratio (the count of luminance terms per axis, 1–7): a shape
            // within 15 % of the source's, the right way round. A display stretches it to the image's box anyway.
            double ratio = ((double) width / height) / ((double) source.getWidth() / source.getHeight());
            assertThat(ratio).as(picture.getKey() + " aspect, decoded " + width + "x" + height).isBetween(0.85, 1.15);
            double psnr = psnr(drawn, downscale(source, width, height));
            assertThat(psnr).as(picture.getKey() + ": " + String.format("%.1f dB", psnr)).isGreaterThanOrEqualTo(MIN_PSNR_DB);
            double flat = psnr(flat(result, width, height), downscale(source, width, height));
            assertThat(psnr - flat).as(picture.getKey() + String.format(": %.1f dB, its average colour alone %.1f dB", psnr, flat))
                    .isGreaterThanOrEqualTo(MIN_GAIN_OVER_FLAT_DB);
            double mirrored = psnr(drawn, downscale(mirror(source), width, height));
            assertThat(mirrored).as(picture.getKey() + " against its mirror image (the control): "
                    + String.format("%.1f dB", mirrored)).isLessThan(MIN_PSNR_DB);
        }
    }

    @Test
    void theReferenceEncoderWritesOurBytesForTheSamePixels() throws Exception {
        Random random = new Random(26);
        Map<String, String> hashes = new LinkedHashMap<>();
        Map<String, byte[]> pixels = new LinkedHashMap<>();
        int[][] sizes = {{100, 75}, {75, 100}, {100, 100}, {1, 1}, {3, 100}, {100, 2}, {33, 67}};
        for (int[] size : sizes) {
            for (boolean alpha : new boolean[] {false, true}) {
                BufferedImage picture = alpha ? translucentDisc(size[0], size[1]) : landscape(size[0], size[1]);
                byte[] rgba = rgba(picture);
                if (random.nextBoolean()) {
                    rgba[random.nextInt(rgba.length)] ^= (byte) 0x5a; // one odd pixel, so no two cases are alike
                }
                String name = size[0] + "x" + size[1] + (alpha ? " alpha" : "");
                pixels.put(name, rgba);
                hashes.put(name, Base64.getEncoder().encodeToString(ThumbHash.encode(size[0], size[1], rgba)));
            }
        }

        Map<String, JsonNode> results = check(hashes, pixels);

        assertThat(results).hasSize(hashes.size());
        hashes.forEach((name, ours) -> assertThat(ours).as(name).isEqualTo(results.get(name).get("referenceHash").asText()));
    }

    /** Runs the reference library over the hashes (and, where given, the pixels they were made of). */
    private static Map<String, JsonNode> check(Map<String, String> hashes, Map<String, byte[]> pixels) throws Exception {
        ArrayNode items = JSON.createArrayNode();
        hashes.forEach((name, hash) -> {
            ObjectNode item = items.addObject().put("name", name).put("hash", hash);
            if (pixels.containsKey(name)) {
                String[] size = name.split("[x ]");
                item.put("width", Integer.parseInt(size[0])).put("height", Integer.parseInt(size[1]))
                        .put("rgba", Base64.getEncoder().encodeToString(pixels.get(name)));
            }
        });
        Path in = Files.createTempFile(checker.toAbsolutePath(), "hashes", ".json");
        Path out = Files.createTempFile(checker.toAbsolutePath(), "decoded", ".json");
        JSON.writeValue(in.toFile(), items);
        Path node = RequiredTools.require("node", "Node.js 20 or newer (apt-get install nodejs)");
        run(checker, node.toString(), "check.mjs", in.toString(), out.toString());
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        JSON.readTree(out.toFile()).forEach(result -> byName.put(result.get("name").asText(), result));
        return byName;
    }

    private static void run(Path directory, String... command) throws Exception {
        Path log = Files.createTempFile("thumbhash-js", ".log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still running after 3 minutes: " + Files.readString(log));
        }
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + Files.readString(log)).isZero();
    }

    /** PSNR over R, G, B and A of two same-sized RGBA pictures; colour weighted by coverage, as it is seen. */
    static double psnr(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        double squared = 0;
        for (int i = 0; i < a.length; i += 4) {
            int alphaA = a[i + 3] & 0xff;
            int alphaB = b[i + 3] & 0xff;
            for (int c = 0; c < 3; c++) {
                double d = (a[i + c] & 0xff) * alphaA / 255.0 - (b[i + c] & 0xff) * alphaB / 255.0;
                squared += d * d;
            }
            squared += (double) (alphaA - alphaB) * (alphaA - alphaB);
        }
        double mse = squared / a.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** An area-averaged downscale (each target pixel the mean of the source pixels it covers), as RGBA. */
    static byte[] downscale(BufferedImage source, int width, int height) {
        byte[] out = new byte[width * height * 4];
        byte[] all = rgba(source);
        for (int ty = 0; ty < height; ty++) {
            int y0 = ty * source.getHeight() / height;
            int y1 = Math.max(y0 + 1, (ty + 1) * source.getHeight() / height);
            for (int tx = 0; tx < width; tx++) {
                int x0 = tx * source.getWidth() / width;
                int x1 = Math.max(x0 + 1, (tx + 1) * source.getWidth() / width);
                double r = 0;
                double g = 0;
                double b = 0;
                double a = 0;
                int n = 0;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int j = (y * source.getWidth() + x) * 4;
                        double alpha = (all[j + 3] & 0xff) / 255.0;
                        r += (all[j] & 0xff) * alpha;
                        g += (all[j + 1] & 0xff) * alpha;
                        b += (all[j + 2] & 0xff) * alpha;
                        a += alpha;
                        n++;
                    }
                }
                int o = (ty * width + tx) * 4;
                out[o] = (byte) Math.round(a > 0 ? r / a : 0);
                out[o + 1] = (byte) Math.round(a > 0 ? g / a : 0);
                out[o + 2] = (byte) Math.round(a > 0 ? b / a : 0);
                out[o + 3] = (byte) Math.round(255 * a / n);
            }
        }
        return out;
    }

    static byte[] rgba(BufferedImage image) {
        byte[] out = new byte[image.getWidth() * image.getHeight() * 4];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int argb = image.getRGB(x, y);
                int j = (y * image.getWidth() + x) * 4;
                out[j] = (byte) (argb >> 16);
                out[j + 1] = (byte) (argb >> 8);
                out[j + 2] = (byte) argb;
                out[j + 3] = (byte) (argb >>> 24);
            }
        }
        return out;
    }

    /** The picture the hash's average colour alone draws (the reference's {@code thumbHashToAverageRGBA}). */
    private static byte[] flat(JsonNode result, int width, int height) {
        byte[] out = new byte[width * height * 4];
        JsonNode average = result.get("average");
        for (int i = 0; i < out.length; i += 4) {
            for (int c = 0; c < 4; c++) {
                out[i + c] = (byte) Math.round(average.get(c).asDouble() * 255);
            }
        }
        return out;
    }

    private static BufferedImage mirror(BufferedImage source) {
        BufferedImage out = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(source, source.getWidth(), source.getHeight(), -source.getWidth(), -source.getHeight(), null);
        g.dispose();
        return out;
    }

    /** A sky gradient, a warm sun off to one side, darker ground: smooth, as most photos are at 32 px. */
    static BufferedImage landscape(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 200), 0, height * 0.6f, new Color(170, 210, 240)));
        g.fillRect(0, 0, width, height);
        float radius = Math.max(1, Math.min(width, height) * 0.25f);
        g.setPaint(new RadialGradientPaint(width * 0.75f, height * 0.3f, radius, new float[] {0, 1},
                new Color[] {new Color(255, 220, 120), new Color(255, 220, 120, 0)}));
        g.fillRect(0, 0, width, height);
        g.setPaint(new GradientPaint(0, height * 0.6f, new Color(60, 110, 40), 0, height, new Color(30, 50, 20)));
        g.fillRect(0, (int) (height * 0.6), width, height);
        g.dispose();
        return image;
    }

    static BufferedImage portrait(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(230, 200, 170), width, height, new Color(60, 30, 80)));
        g.fillRect(0, 0, width, height);
        g.setPaint(new RadialGradientPaint(width * 0.35f, height * 0.35f, width * 0.3f, new float[] {0, 1},
                new Color[] {new Color(200, 60, 50), new Color(200, 60, 50, 0)}));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** A soft-edged disc, opaque in the middle and off-centre, on a fully transparent surround. */
    static BufferedImage translucentDisc(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        float radius = Math.max(1, Math.min(width, height) * 0.4f);
        g.setPaint(new RadialGradientPaint(width * 0.4f, height * 0.45f, radius, new float[] {0, 0.6f, 1},
                new Color[] {new Color(220, 40, 90, 255), new Color(120, 40, 200, 200), new Color(120, 40, 200, 0)}));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }
}
