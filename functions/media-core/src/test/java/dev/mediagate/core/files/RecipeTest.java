package dev.mediagate.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecipeTest {

    private static final Recipe.Config DEFAULTS = new Recipe.Config(Recipe.DEFAULT_VARIANTS, Recipe.DEFAULT_FORMATS,
            Recipe.DEFAULT_JPEG_QUALITY);

    @Test
    void isAShortStableNameOfItsInputs() {
        // Pinned: a change of the canonical text or the hash would make every file in every bucket stale at once.
        assertThat(Recipe.of(new Recipe.Config("thumb=320x320", "webp", 82, "libvips-8.18.7+mediagate.1"), null))
                .isEqualTo(Recipe.of(new Recipe.Config("thumb=320x320", "webp", 82, "libvips-8.18.7+mediagate.1"), null))
                .matches("[0-9a-f]{16}");
        assertThat(new Recipe.Config("thumb=320x320", "webp", 82, "libvips-8.18.7+mediagate.1").canonical(null))
                .isEqualTo("variants=thumb=320x320;formats=webp;jpegQuality=82;engine=libvips-8.18.7+mediagate.1;focus=none");
    }

    @Test
    void everyInputThatDecidesTheBytesChangesIt() {
        String base = Recipe.of(DEFAULTS, null);

        assertThat(Recipe.of(new Recipe.Config(Recipe.DEFAULT_VARIANTS + ",huge=4096x4096", "webp", 82), null)).isNotEqualTo(base);
        assertThat(Recipe.of(new Recipe.Config(Recipe.DEFAULT_VARIANTS, "webp,avif", 82), null)).isNotEqualTo(base);
        assertThat(Recipe.of(new Recipe.Config(Recipe.DEFAULT_VARIANTS, "", 82), null)).isNotEqualTo(base);
        assertThat(Recipe.of(new Recipe.Config(Recipe.DEFAULT_VARIANTS, "webp", 83), null)).isNotEqualTo(base);
        assertThat(Recipe.of(new Recipe.Config(Recipe.DEFAULT_VARIANTS, "webp", 82, "libvips-8.19.0+mediagate.1"), null))
                .isNotEqualTo(base);
        assertThat(Recipe.of(DEFAULTS, new Recipe.Focus(0.25, 0.4))).isNotEqualTo(base)
                .isNotEqualTo(Recipe.of(DEFAULTS, new Recipe.Focus(0.4, 0.25)));
    }

    @Test
    void listsThatMakeTheSameBytesNameTheSameRecipe() {
        assertThat(Recipe.of(new Recipe.Config("large=2048x2048, thumb=320x320,medium=1024x1024", " AVIF,webp", 82), null))
                .isEqualTo(Recipe.of(new Recipe.Config("thumb=320x320,medium=1024x1024,large=2048x2048", "webp,avif", 82), null));
    }

    @Test
    void readsTheResizersVariablesWithTheirDefaults() {
        assertThat(Recipe.Config.from(new Settings(Map.<String, String>of()::get))).isEqualTo(DEFAULTS);
        assertThat(Recipe.Config.from(new Settings(Map.of("VARIANT_FORMATS", "")::get)).formats()).isEmpty();
        assertThat(Recipe.Config.from(new Settings(Map.of("VARIANTS", "a=10x10", "JPEG_QUALITY", "90")::get)))
                .isEqualTo(new Recipe.Config("a=10x10", "webp", 90));
        assertThat(DEFAULTS.engine()).isEqualTo("libvips-" + Recipe.LIBVIPS_VERSION + "+mediagate." + Recipe.PIPELINE_REVISION);
    }

    @Test
    void aManifestIsStaleUnlessItsRecipeIsTodaysAndAVersionOneManifestAlwaysIs() {
        Manifest image = manifest("image/jpeg", Manifest.READY, 3000);
        String today = Recipe.of(DEFAULTS, null);

        assertThat(Recipe.isStale(image.withRecipe(today), DEFAULTS, null)).isFalse();
        assertThat(Recipe.isStale(image.withRecipe(today), new Recipe.Config(Recipe.DEFAULT_VARIANTS, "webp,avif", 82), null))
                .isTrue();
        assertThat(Recipe.isStale(image, DEFAULTS, null)).as("version 1, no recipe").isTrue();
        Manifest versionOneWithRecipe = new Manifest(1, "f", Manifest.READY, null, "private", image.source(), Map.of(), null,
                "2026-11-21T10:00:00Z", null, null, null, today);
        assertThat(Recipe.isStale(versionOneWithRecipe, DEFAULTS, null)).isTrue();
        assertThat(Recipe.isStale(manifest("image/jpeg", Manifest.REJECTED, null).withRecipe(today), DEFAULTS, null)).isFalse();
    }

    @Test
    void aDocumentsRecipeNeverGoesStale() {
        Manifest pdf = manifest("application/pdf", Manifest.READY, null);

        assertThat(Recipe.expectedFor(pdf, DEFAULTS, null)).isEqualTo(Recipe.DOCUMENT);
        assertThat(Recipe.isStale(pdf.withRecipe(Recipe.DOCUMENT), new Recipe.Config("a=1x1", "avif", 10), null)).isFalse();
        assertThat(Recipe.expectedFor(manifest("application/pdf", Manifest.REJECTED, null), DEFAULTS, null))
                .isEqualTo(Recipe.of(DEFAULTS, null));
    }

    @Test
    void aVersionTwoManifestKeepsItsRecipeThroughJsonAndAVisibilityChange() {
        Manifest written = manifest("image/jpeg", Manifest.READY, 3000).withRecipe("0123456789abcdef");

        Manifest read = Manifest.fromJson(written.toJson());

        assertThat(read.version()).isEqualTo(2);
        assertThat(read.recipe()).isEqualTo("0123456789abcdef");
        assertThat(read.withVisibility(Visibility.PUBLIC, false, null).recipe()).isEqualTo("0123456789abcdef");
        assertThat(Manifest.fromJson("{\"version\":1,\"fileId\":\"f\",\"status\":\"ready\"}".getBytes()).recipe()).isNull();
    }

    private static Manifest manifest(String contentType, FileStatus status, Integer width) {
        return new Manifest(1, "f", status, status == Manifest.READY ? null : "corrupt", "private",
                new Manifest.Source("originals/o/f", "etag", "a", contentType, 100, width, width, null, null), Map.of(), null,
                "2026-11-21T10:00:00Z", null, null);
    }
}
