package dev.mediagate.bench;

import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.imaging.VariantFormat;
import dev.mediagate.imaging.VariantSpec;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.local.lambda.SharpLibvips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Peak resident memory (VmHWM) of a JVM doing only what the resizer does with one photo: the default variant set with WebP. */
public final class ResizePeakMemory {

    private ResizePeakMemory() {
    }

    public static void main(String[] args) throws Exception {
        byte[] photo = Files.readAllBytes(Path.of(args[0]));
        ImagePipeline pipeline = new ImagePipeline(new ResizeConfig(VariantSpec.parseList("VARIANTS", ResizeConfig.DEFAULT_VARIANTS),
                50_000_000L, 82, Set.of(VariantFormat.WEBP)), Libvips.load(SharpLibvips.library(), 1));
        for (int i = 0; i < 5; i++) {
            pipeline.process(photo, FileType.JPEG);
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                System.out.printf("peak RSS: %d MiB (%s, %d KiB)%n", Long.parseLong(line.replaceAll("\\D", "")) / 1024,
                        args[0], photo.length / 1024);
            }
        }
    }
}
