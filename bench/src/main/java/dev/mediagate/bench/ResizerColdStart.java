package dev.mediagate.bench;

import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.MediaOutcome;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.local.lambda.SharpLibvips;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The resizer's cold start as Lambda pays it (no SnapStart): from the JVM's start to the first photo's variants made,
 * with the engine's init (libvips loaded and started) in between. The S3 reads and writes around it are left out.
 */
public final class ResizerColdStart {

    private ResizerColdStart() {
    }

    public static void main(String[] args) throws Exception {
        byte[] photo = Files.readAllBytes(Path.of(args[0]));
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        // Finding the cached package is the local stand-in for the layer's fixed path: not part of Lambda's cold start.
        long lookupStart = System.currentTimeMillis();
        String library = SharpLibvips.library().toString();
        jvmStart += System.currentTimeMillis() - lookupStart;
        Settings settings = new Settings(Map.of("LIBVIPS_PATH", library, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048")::get);
        ImagePipeline pipeline = new ImagePipeline(ResizeConfig.from(settings), Libvips.from(settings));
        long initialised = System.currentTimeMillis();
        MediaOutcome outcome = pipeline.process(photo, FileType.JPEG);
        long done = System.currentTimeMillis();
        if (!(outcome instanceof MediaOutcome.Image)) {
            throw new IllegalStateException("not processed: " + outcome);
        }
        System.out.printf("resizer-cold-start init=%d ms first-variants=%d ms%n", initialised - jvmStart, done - jvmStart);
    }
}
