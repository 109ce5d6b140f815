package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.local.apigateway.ApiGateway;
import dev.mediagate.local.sam.SamTemplate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API tells a current file from a stale one with the configuration the HTTP API stage's {@code resizerConfig}
 * variable carries; the resizer and ReprocessFunction make variants with their environment. For any parameters, both
 * name the same recipe.
 */
class ResizerConfigurationTest {

    @Test
    void theApiAndTheResizerNameTheSameRecipeForEachConfiguration() {
        List<Map<String, String>> configurations = List.of(Map.of(),
                Map.of("Variants", "thumb=320x320, card=600x400:cover:attention,hero=1600x900:cover", "VariantFormats", "webp,avif",
                        "JpegQuality", "77"),
                Map.of("Variants", "a=100x100", "VariantFormats", "", "JpegQuality", "100"));
        for (Map<String, String> parameters : configurations) {
            SamTemplate template = SamTemplate.load(Checkout.ROOT.resolve("template.yaml"), parameters);
            Recipe.Config api = Recipe.Config.fromStageVariable(ApiGateway.stageVariables(template).get("resizerConfig")).orElseThrow();

            for (String function : List.of("ImageResizerFunction", "ReprocessFunction")) {
                Recipe.Config resizer = Recipe.Config.from(new Settings(template.environment(function)::get));
                Recipe.Focus focus = new Recipe.Focus(0.9, 0.5);

                assertThat(Recipe.of(api, null)).as("%s with %s", function, parameters).isEqualTo(Recipe.of(resizer, null));
                assertThat(Recipe.of(api, focus)).as("%s with %s", function, parameters).isEqualTo(Recipe.of(resizer, focus));
            }
        }
    }
}
