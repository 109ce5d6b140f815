package dev.mediagate.imaging;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.core.files.FileType;
import dev.mediagate.local.lambda.SharpLibvips;
import dev.mediagate.testing.Images;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How a libvips call is declared and made: its descriptor comes from the call's own arguments, so a call that does
 * not fit its declaration stops in Java with an exception, and a declaration libvips does not agree with stops the load.
 */
class VipsBindingTest {

    private static final Libvips LIBVIPS = Libvips.load(SharpLibvips.library(), 1);
    private static final List<MemoryLayout> SAVE = List.of(ADDRESS, ADDRESS, ADDRESS);

    @Test
    void anOptionTheFunctionDoesNotDeclareIsRefusedBeforeAnyNativeCall() {
        VipsFunction pngSave = VipsFunction.variadic(LIBVIPS, "vips_pngsave_buffer", "pngsave_buffer", JAVA_INT, SAVE,
                VipsOperations.KEEP, VipsOperations.BITDEPTH);

        try (Arena arena = Arena.ofConfined()) {
            VipsFunction.Call call = pngSave.call(arena).pointer(MemorySegment.NULL).pointer(MemorySegment.NULL).pointer(MemorySegment.NULL);

            assertThatThrownBy(() -> call.option(VipsOperations.Q.of(82)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declares no option").hasMessageContaining("Q");
        }
    }

    @Test
    void aFixedArgumentOfTheWrongKindOrAMissingOneIsRefused() {
        VipsFunction extract = VipsFunction.variadic(LIBVIPS, "vips_extract_band", "extract_band", JAVA_INT,
                List.of(ADDRESS, ADDRESS, JAVA_INT), VipsOperations.BANDS);

        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> extract.call(arena).pointer(MemorySegment.NULL).integer(1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 2");
            assertThatThrownBy(() -> extract.call(arena).pointer(MemorySegment.NULL).pointer(MemorySegment.NULL).invokeInt())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 3 fixed arguments, given 2");
            assertThatThrownBy(() -> extract.call(arena).pointer(MemorySegment.NULL).option(VipsOperations.BANDS.of(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before its 3 fixed arguments");
        }
    }

    @Test
    void aDeclaredOptionLibvipsDoesNotHaveStopsTheLoad() {
        VipsFunction misspelt = VipsFunction.variadic(LIBVIPS, "vips_jpegsave_buffer", "jpegsave_buffer", JAVA_INT, SAVE,
                VipsOption.integer("quality"));

        assertThatThrownBy(() -> LIBVIPS.verifyOptions(misspelt))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jpegsave_buffer has no argument quality");
    }

    @Test
    void aDeclaredOptionOfAnotherTypeThanLibvipsTakesStopsTheLoad() {
        VipsFunction wronglyTyped = VipsFunction.variadic(LIBVIPS, "vips_jpegsave_buffer", "jpegsave_buffer", JAVA_INT, SAVE,
                VipsOption.real("Q"));

        assertThatThrownBy(() -> LIBVIPS.verifyOptions(wronglyTyped))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("takes Q as GType").hasMessageContaining("DOUBLE");
    }

    @Test
    void everyOperationTheResizerCallsAgreesWithLibvips() {
        assertThat(LIBVIPS.operations().functions()).allSatisfy(LIBVIPS::verifyOptions).hasSizeGreaterThan(20);
    }

    @Test
    void theJavaPinAndTheLayersPinNameTheSameLibvips() {
        assertThat(SharpLibvips.library().getFileName().toString()).isEqualTo("libvips-cpp.so." + Libvips.PINNED_VERSION);
        assertThat(Libvips.LAYER_LIBRARY).endsWith("/libvips-cpp.so." + Libvips.PINNED_VERSION);
    }

    @Test
    void aLibraryOfAnotherVersionIsRefusedNamingBoth() {
        assertThatThrownBy(() -> Libvips.requirePinned("8.14.1", Path.of("/usr/lib/libvips.so.42")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("8.14.1").hasMessageContaining("pinned 8.18.7");
        Libvips.requirePinned(Libvips.PINNED_VERSION, SharpLibvips.library());
    }

    @Test
    void primingRunsEveryInputFormatThroughThePipelineAndLeavesItReadyForRealUploads() {
        ImagePipeline pipeline = new ImagePipeline(new ResizeConfig(VariantSpec.parseList("VARIANTS", ResizeConfig.DEFAULT_VARIANTS),
                50_000_000L, 82, Set.of(VariantFormat.WEBP)), LIBVIPS);

        pipeline.prime();

        assertThat(pipeline.process(Images.jpeg(Images.quadrants(1600, 1200)), FileType.JPEG)).isInstanceOf(MediaOutcome.Image.class);
    }
}
