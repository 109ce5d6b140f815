package dev.mediagate.bench;

import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.imaging.MediaOutcome;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.local.lambda.SharpLibvips;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The resizer's engine in a fresh JVM, as a Lambda instance meets its events: {@code init} from the JVM's start to the
 * engine ready (libvips loaded and started, the configuration read; with {@code primed}, also the synthetic pictures
 * SnapStart's hook runs before its snapshot), then the first photo's variants, then the warm figure (median of the next
 * rounds). Without SnapStart a user's first upload after idle waits for init and the first variants; with it, for the
 * snapshot's restore and the first variants after priming. The S3 reads and writes around the engine are left out.
 *
 * <p>Usage: {@code ResizerColdStart PHOTO cold|primed WARM_ROUNDS}.
 */
public final class ResizerColdStart {

    private ResizerColdStart() {
    }

    public static void main(String[] args) throws Exception {
        Path photoFile = Path.of(args[0]);
        if (!Files.exists(photoFile)) {
            // The same photo bench/run resize writes.
            Files.createDirectories(photoFile.getParent());
            Files.write(photoFile, ResizeBenchmark.photoLike(4000, 3000));
            System.exit(0);
        }
        byte[] photo = Files.readAllBytes(photoFile);
        boolean primed = args[1].equals("primed");
        int warmRounds = Integer.parseInt(args[2]);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        // Finding the cached package is the local stand-in for the layer's fixed path: not part of Lambda's cold start.
        long lookupStart = System.currentTimeMillis();
        String library = SharpLibvips.library().toString();
        jvmStart += System.currentTimeMillis() - lookupStart;
        Settings settings = new Settings(Map.of("LIBVIPS_PATH", library, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048")::get);
        ImagePipeline pipeline = new ImagePipeline(ResizeConfig.from(settings), Libvips.from(settings));
        if (primed) {
            pipeline.prime();
        }
        long initialised = System.currentTimeMillis();
        long first = variants(pipeline, photo);
        long[] warm = new long[warmRounds];
        for (int i = 0; i < warmRounds; i++) {
            warm[i] = variants(pipeline, photo);
        }
        Arrays.sort(warm);
        System.out.printf("resizer-cold-start init=%d ms first=%d ms warm=%d ms%n", initialised - jvmStart, first,
                warmRounds == 0 ? 0 : warm[warmRounds / 2]);
    }

    private static long variants(ImagePipeline pipeline, byte[] photo) {
        long started = System.nanoTime();
        MediaOutcome outcome = pipeline.process(photo, FileType.JPEG);
        if (!(outcome instanceof MediaOutcome.Image)) {
            throw new IllegalStateException("not processed: " + outcome);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }
}
