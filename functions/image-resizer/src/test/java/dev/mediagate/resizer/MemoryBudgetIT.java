package dev.mediagate.resizer;

import dev.mediagate.imaging.Libvips;
import dev.mediagate.imaging.VariantFormat;
import dev.mediagate.local.lambda.SharpLibvips;
import java.util.Set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.MediaOutcome;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.imaging.VariantSpec;
import dev.mediagate.testing.Images;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/**
 * The resizer's heap budget is 512 MiB (this module's tests all run with {@code -Xmx512m}: the template's 2 GiB function
 * gives the JVM a quarter as heap, the pixels and the original's bytes being native): sources right at the default
 * 50 MP limit must be processed within it.
 */
class MemoryBudgetIT {

    private final ImagePipeline pipeline = new ImagePipeline(new ResizeConfig(
            VariantSpec.parseList("VARIANTS", ResizeConfig.DEFAULT_VARIANTS), 50_000_000L, 82, Set.of(VariantFormat.WEBP)), Libvips.load(SharpLibvips.library(), 1));

    @Test
    void processesA49MegapixelJpegWithinTheHeapBudget() {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(1L << 30);
        byte[] photo = Images.jpeg(gradient(8000, 6125, BufferedImage.TYPE_3BYTE_BGR), 85, false);

        MediaOutcome outcome = pipeline.process(photo, FileType.JPEG);

        assertThat(outcome).isInstanceOf(MediaOutcome.Image.class);
        assertThat(((MediaOutcome.Image) outcome).variants()).hasSize(3);
    }

    @Test
    void processesA49MegapixelPngWithAlphaWithinTheHeapBudget() {
        byte[] picture = Images.png(gradient(7000, 7000, BufferedImage.TYPE_INT_ARGB));

        MediaOutcome outcome = pipeline.process(picture, FileType.PNG);

        assertThat(((MediaOutcome.Image) outcome).variants()).allSatisfy(v -> assertThat(v.type()).isEqualTo(FileType.PNG));
    }

    private static BufferedImage gradient(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(255, 0, 0, 120), width, height, new Color(0, 0, 255, 255)));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }
}
