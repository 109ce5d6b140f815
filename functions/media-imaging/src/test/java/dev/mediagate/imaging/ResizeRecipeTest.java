package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.Recipe;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resizer (from what it parsed) and the API (from the raw variables) must name the same recipe. */
class ResizeRecipeTest {

    @Test
    void theResizersRecipeIsTheOneTheApiReadsFromTheSameVariables() {
        for (Map<String, String> environment : java.util.List.of(
                Map.<String, String>of(),
                Map.of("VARIANTS", "thumb=320x320, avatar=128x128:cover,medium=1024x1024", "VARIANT_FORMATS", "AVIF, webp"),
                Map.of("VARIANT_FORMATS", "", "JPEG_QUALITY", "70"),
                Map.of("VARIANTS", "a=10x20"),
                Map.of("VARIANTS", "card=600x315:cover:attention,thumb=320x320, face=96x96:cover:entropy"))) {
            Settings settings = new Settings(new HashMap<>(environment)::get);

            assertThat(ResizeConfig.from(settings).recipeConfig()).as(environment.toString())
                    .isEqualTo(Recipe.Config.from(settings));
        }
    }

    @Test
    void theRecipeNamesTheLibvipsTheResizerRequires() {
        assertThat(Recipe.LIBVIPS_VERSION).isEqualTo(Libvips.PINNED_VERSION);
    }
}
