package dev.mediagate.imaging;

import static dev.mediagate.testing.Images.png;
import static dev.mediagate.testing.Images.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.FileType;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.imaging.MediaOutcome.Image;
import dev.mediagate.imaging.MediaOutcome.Variant;
import dev.mediagate.local.lambda.SharpLibvips;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code :cover}, {@code :cover:attention}, {@code :cover:entropy} and the file's focal point, on pictures made here. */
class CoverCropTest {

    private static final Libvips VIPS = Libvips.load(SharpLibvips.library(), 1);
    private static final Predicate<Color> ORANGE = c -> c.getRed() > 180 && c.getGreen() > 60 && c.getGreen() < 170 && c.getBlue() < 90;
    private static final Predicate<Color> MAGENTA = c -> c.getRed() > 200 && c.getGreen() < 60 && c.getBlue() > 200;

    @Test
    void aSubjectOffCentreEndsInsideTheAttentionCropAndOutsideTheCentreCrop() {
        // 900x300: a pale, almost grey gradient; a saturated, detailed orange subject on the left (x 40–200).
        BufferedImage picture = paleGradient(900, 300);
        Graphics2D g = picture.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(235, 120, 40));
        g.fillOval(40, 70, 160, 160);
        g.setColor(new Color(120, 40, 10));
        g.setStroke(new BasicStroke(4));
        for (int x = 60; x < 200; x += 16) {
            g.drawLine(x, 80, x + 10, 220);
        }
        g.dispose();

        Image image = process(picture, "attention=100x100:cover:attention,centre=100x100:cover", null);

        assertThat(share(variant(image, "attention"), ORANGE)).as("orange in the attention crop").isGreaterThan(0.1);
        assertThat(share(variant(image, "centre"), ORANGE)).as("orange in the centre crop").isZero();
    }

    @Test
    void theEntropyCropFindsTheDetailedRegion() {
        // 900x300, flat but for a patch of fine noise near the right edge (x 700–880).
        BufferedImage picture = paleGradient(900, 300);
        Random random = new Random(1);
        for (int y = 60; y < 240; y++) {
            for (int x = 700; x < 880; x++) {
                int v = random.nextInt(256);
                picture.setRGB(x, y, new Color(v, v, v).getRGB());
            }
        }

        Image image = process(picture, "entropy=100x100:cover:entropy,centre=100x100:cover", null);

        assertThat(noisiness(variant(image, "entropy"))).as("noise in the entropy crop").isGreaterThan(6);
        assertThat(noisiness(variant(image, "centre"))).as("noise in the centre crop").isLessThan(3);
    }

    @Test
    void aFocusAtTheRightKeepsTheRightEdgeInEveryCoverVariantWhateverItsCropMode() {
        // 800x400 with a magenta band along the right edge; a focus at (0.9, 0.5).
        BufferedImage picture = paleGradient(800, 400);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.MAGENTA);
        g.fillRect(770, 0, 30, 400);
        g.dispose();
        String variants = "square=64x64:cover,card=200x160:cover:attention,tall=30x90:cover:entropy,big=400x400:cover,fit=100x100";

        Image focused = process(picture, variants, new Recipe.Focus(0.9, 0.5));
        Image centred = process(picture, variants, null);

        for (String name : new String[] {"square", "card", "tall", "big"}) {
            Variant variant = variant(focused, name);
            BufferedImage pixels = read(variant.bytes());
            assertThat(new int[] {pixels.getWidth(), pixels.getHeight()}).as(name + " keeps its box")
                    .containsExactly(variant(centred, name).width(), variant(centred, name).height());
            assertThat(MAGENTA.test(new Color(pixels.getRGB(pixels.getWidth() - 1, pixels.getHeight() / 2))))
                    .as(name + "'s right-most column is the picture's right edge").isTrue();
        }
        BufferedImage centreSquare = read(variant(centred, "square").bytes());
        assertThat(MAGENTA.test(new Color(centreSquare.getRGB(centreSquare.getWidth() - 1, centreSquare.getHeight() / 2))))
                .as("without the focus the centre crop cuts the edge off").isFalse();
        // Fit variants show the whole picture, focus or not.
        assertThat(variant(focused, "fit").bytes()).isEqualTo(variant(centred, "fit").bytes());
    }

    @ParameterizedTest(name = "focus ({0}, {1})")
    @CsvSource({"0, 0", "1, 1", "0.3, 0.7", "0.95, 0.05", "0.5, 0.5", "0.02, 0.98"})
    void theFocalPointIsNeverCroppedOut(double x, double y) {
        // A landscape and a portrait picture, each with a magenta dot at the focus; boxes of every shape.
        for (int[] size : new int[][] {{1000, 600}, {500, 900}}) {
            BufferedImage picture = paleGradient(size[0], size[1]);
            Graphics2D g = picture.createGraphics();
            g.setColor(Color.MAGENTA);
            int cx = (int) Math.round(x * size[0]);
            int cy = (int) Math.round(y * size[1]);
            g.fillOval(cx - 30, cy - 30, 60, 60);
            g.dispose();

            Image image = process(picture, "a=50x50:cover,b=160x40:cover:attention,c=40x160:cover:entropy,d=300x200:cover",
                    new Recipe.Focus(x, y));

            for (Variant variant : image.variants()) {
                assertThat(share(variant, MAGENTA)).as(size[0] + "x" + size[1] + " " + variant.name()).isGreaterThan(0);
            }
        }
    }

    @Test
    void centredOnClampsTheSpanInsideThePicture() {
        assertThat(ImagePipeline.centredOn(0.5, 100, 20)).isEqualTo(40);
        assertThat(ImagePipeline.centredOn(0.0, 100, 20)).isZero();
        assertThat(ImagePipeline.centredOn(1.0, 100, 20)).isEqualTo(80);
        assertThat(ImagePipeline.centredOn(0.9, 100, 100)).isZero();
    }

    private static Image process(BufferedImage picture, String variants, Recipe.Focus focus) {
        ImagePipeline pipeline = new ImagePipeline(new ResizeConfig(VariantSpec.parseList("VARIANTS", variants), 50_000_000L, 90,
                Set.of()), VIPS);
        return (Image) pipeline.process(png(picture), FileType.PNG, focus);
    }

    private static BufferedImage paleGradient(int width, int height) {
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = picture.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(200, 205, 210), width, height, new Color(170, 172, 176)));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return picture;
    }

    private static Variant variant(Image image, String name) {
        return image.variants().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    /** The share of a variant's pixels that {@code colour} accepts. */
    private static double share(Variant variant, Predicate<Color> colour) {
        BufferedImage pixels = read(variant.bytes());
        int hits = 0;
        for (int y = 0; y < pixels.getHeight(); y++) {
            for (int x = 0; x < pixels.getWidth(); x++) {
                hits += colour.test(new Color(pixels.getRGB(x, y))) ? 1 : 0;
            }
        }
        return (double) hits / (pixels.getWidth() * pixels.getHeight());
    }

    /** The mean absolute difference between horizontally neighbouring pixels' green values. */
    private static double noisiness(Variant variant) {
        BufferedImage pixels = read(variant.bytes());
        long sum = 0;
        for (int y = 0; y < pixels.getHeight(); y++) {
            for (int x = 1; x < pixels.getWidth(); x++) {
                sum += Math.abs(((pixels.getRGB(x, y) >> 8) & 0xff) - ((pixels.getRGB(x - 1, y) >> 8) & 0xff));
            }
        }
        return (double) sum / (pixels.getHeight() * (pixels.getWidth() - 1));
    }
}
