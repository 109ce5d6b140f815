package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.MediaOutcome.Alternate;
import dev.mediagate.imaging.MediaOutcome.Image;
import dev.mediagate.imaging.MediaOutcome.Rejected;
import dev.mediagate.imaging.MediaOutcome.Variant;
import dev.mediagate.local.lambda.SharpLibvips;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Animated GIF and WebP sources keep their animation in the WebP alternates (the JPEG or PNG shows the first frame),
 * with {@code frames} and {@code durationMs}; the pixel limit counts every frame. Frame counts are read back by libvips
 * ({@link VipsOperations#header}, the same reader the resizer trusts for sources) from the bytes written.
 */
class AnimationTest {

    private static final Libvips VIPS = Libvips.load(SharpLibvips.library(), 1);

    @Test
    void aThreeFrameGifEndsWithAnimatedWebpAlternatesOfThreeFramesAndAStillJpeg() {
        byte[] gif = gif(List.of(frame(400, 200, Color.RED, 0), frame(400, 200, Color.GREEN, 1), frame(400, 200, Color.BLUE, 2)),
                List.of(100, 200, 300));

        Image image = (Image) pipeline("thumb=100x100,large=300x300,square=50x50:cover", 50_000_000L).process(gif, FileType.GIF);

        assertThat(image.frames()).isEqualTo(3);
        assertThat(image.animated()).isTrue();
        assertThat(image.durationMs()).isEqualTo(600);
        for (Variant variant : image.variants()) {
            Alternate webp = variant.alternates().stream().filter(a -> a.format() == VariantFormat.WEBP).findFirst().orElseThrow();
            VipsOperations.Header header = header(webp.bytes());
            assertThat(header.pages()).as(variant.name() + " WebP frames").isEqualTo(3);
            assertThat(webp.frames()).isEqualTo(3);
            assertThat(header.durationMs()).as(variant.name() + " WebP delays").isEqualTo(600);
            assertThat(new int[] {header.width(), header.height()}).as(variant.name() + " frame size")
                    .containsExactly(variant.width(), variant.height());
            assertThat(header(variant.bytes()).pages()).as(variant.name() + " JPEG").isEqualTo(1);
            Alternate avif = variant.alternates().stream().filter(a -> a.format() == VariantFormat.AVIF).findFirst().orElseThrow();
            assertThat(avif.frames()).isEqualTo(1);
        }
    }

    @Test
    void anAnimatedWebpStaysAnimated() {
        byte[] gif = gif(List.of(frame(300, 300, Color.ORANGE, 0), frame(300, 300, Color.CYAN, 1), frame(300, 300, Color.PINK, 2)),
                List.of(50, 50, 50));
        Image fromGif = (Image) pipeline("big=300x300", 50_000_000L).process(gif, FileType.GIF);
        byte[] animatedWebp = fromGif.variants().get(0).alternates().get(0).bytes();

        Image image = (Image) pipeline("thumb=64x64,square=32x32:cover", 50_000_000L).process(animatedWebp, FileType.WEBP);

        assertThat(image.frames()).isEqualTo(3);
        assertThat(image.durationMs()).isEqualTo(150);
        for (Variant variant : image.variants()) {
            assertThat(header(variant.alternates().get(0).bytes()).pages()).as(variant.name()).isEqualTo(3);
        }
    }

    @Test
    void aLongAnimationOverThePixelLimitIsRefusedEvenThoughEachFrameFits() {
        // 200x100 = 20 000 pixels a frame, under the 100 000 limit; 6 frames are 120 000.
        List<BufferedImage> frames = List.of(frame(200, 100, Color.RED, 0), frame(200, 100, Color.GREEN, 1), frame(200, 100, Color.BLUE, 2),
                frame(200, 100, Color.RED, 3), frame(200, 100, Color.GREEN, 4), frame(200, 100, Color.BLUE, 5));
        byte[] gif = gif(frames, List.of(40, 40, 40, 40, 40, 40));

        MediaOutcome outcome = pipeline("thumb=100x100", 100_000L).process(gif, FileType.GIF);

        assertThat(outcome).isInstanceOfSatisfying(Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(RejectionReason.TOO_MANY_PIXELS);
            assertThat(rejected.detail()).contains("6 frames");
        });
        assertThat(pipeline("thumb=100x100", 120_000L).process(gif, FileType.GIF)).isInstanceOf(Image.class);
    }

    @Test
    void aStillGifIsNotAnimated() {
        Image image = (Image) pipeline("thumb=100x100", 50_000_000L).process(gif(List.of(frame(120, 80, Color.RED, 0)), List.of(0)),
                FileType.GIF);

        assertThat(image.animated()).isFalse();
        assertThat(image.durationMs()).isZero();
        assertThat(image.variants().get(0).alternates().get(0).frames()).isEqualTo(1);
    }

    private static ImagePipeline pipeline(String variants, long maxPixels) {
        return new ImagePipeline(new ResizeConfig(VariantSpec.parseList("VARIANTS", variants), maxPixels, 82,
                Set.of(VariantFormat.WEBP, VariantFormat.AVIF)), VIPS);
    }

    private static VipsOperations.Header header(byte[] bytes) {
        try (NativeBytes native_ = NativeBytes.copyOf(bytes)) {
            return VIPS.operations().header(native_);
        } catch (VipsOperations.Failure e) {
            throw new AssertionError(e);
        }
    }

    /** A frame of one colour with a white block whose place tells the frames apart. */
    static BufferedImage frame(int width, int height, Color colour, int index) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.fillRect((index * width / 6) % width, height / 4, width / 6, height / 2);
        g.dispose();
        return image;
    }

    static byte[] gif(List<BufferedImage> frames, List<Integer> delaysMs) {
        return dev.mediagate.testing.Images.animatedGif(frames, delaysMs);
    }
}
