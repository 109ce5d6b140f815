package dev.mediagate.imaging;

import dev.mediagate.core.files.FileType;
import dev.mediagate.local.lambda.HeicLayer;
import dev.mediagate.local.lambda.SharpLibvips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * HEIC on the resizer's engine (bench/run resize, one core): the 12 MP photo-like picture of ResizeBenchmark encoded by
 * Debian's heif-enc, then the HEIC layer's libheif decoding it (libde265, to 8-bit RGB), that plus libvips' lossless
 * intermediate, and the default JPEG+WebP set from the HEIC next to the same set from the JPEG. Medians of 9 runs after
 * 2 warm-ups.
 */
public final class HeicBenchmark {

    private static final int RUNS = 9;

    private HeicBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "bench/target/resize").toAbsolutePath();
        Path jpeg = work.resolve("photo-4000x3000.jpg");
        if (!Files.exists(jpeg)) {
            throw new IllegalStateException(jpeg + " is made by ResizeBenchmark: run bench/run resize");
        }
        Path heic = work.resolve("photo-4000x3000.heic");
        if (!Files.exists(heic)) {
            // heif-enc's default quality (50), about what phones write: 12 MP in 1–2 MB.
            Process encoder = new ProcessBuilder("heif-enc", "-o", heic.toString(), jpeg.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!encoder.waitFor(5, TimeUnit.MINUTES) || encoder.exitValue() != 0) {
                throw new IllegalStateException("heif-enc failed (apt-get install libheif-examples)");
            }
        }
        Libvips vips = Libvips.load(SharpLibvips.library(), 1);
        Libheif libheif = Libheif.load(HeicLayer.library());
        ImagePipeline pipeline = new ImagePipeline(new ResizeConfig(VariantSpec.parseList("VARIANTS", ResizeConfig.DEFAULT_VARIANTS),
                50_000_000L, 82, Set.of(VariantFormat.WEBP)), vips, Optional.of(libheif));
        byte[] heicBytes = Files.readAllBytes(heic);
        byte[] jpegBytes = Files.readAllBytes(jpeg);

        try (NativeBytes file = NativeBytes.copyOf(heicBytes)) {
            double decode = median(() -> libheif.decode(file, 50_000_000L, picture -> picture.width()));
            double intermediate = median(() -> {
                try (NativeBytes copy = libheif.decode(file, 50_000_000L, vips.operations()::losslessCopy)) {
                    return (int) copy.length();
                }
            });
            double heicSet = median(() -> expectImage(pipeline.process(heicBytes, FileType.HEIC)));
            double jpegSet = median(() -> expectImage(pipeline.process(jpegBytes, FileType.JPEG)));
            System.out.printf("HEIC 12 MP (%d KiB, libheif %s), medians of %d runs:%n", heicBytes.length / 1024, libheif.version(), RUNS);
            System.out.printf("  libheif decode to RGB             %5.0f ms%n", decode);
            System.out.printf("  + lossless copy for libvips       %5.0f ms%n", intermediate);
            System.out.printf("  JPEG+WebP set from the HEIC       %5.0f ms%n", heicSet);
            System.out.printf("  JPEG+WebP set from the JPEG       %5.0f ms  (%d KiB)%n", jpegSet, jpegBytes.length / 1024);
        }
    }

    private static int expectImage(MediaOutcome outcome) {
        if (!(outcome instanceof MediaOutcome.Image image)) {
            throw new IllegalStateException("benchmark picture was not processed: " + outcome);
        }
        return image.variants().size();
    }

    @FunctionalInterface
    private interface Run {
        int run() throws Exception;
    }

    private static double median(Run run) throws Exception {
        for (int i = 0; i < 2; i++) {
            run.run();
        }
        long[] times = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            run.run();
            times[i] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        return times[RUNS / 2] / 1e6;
    }
}
