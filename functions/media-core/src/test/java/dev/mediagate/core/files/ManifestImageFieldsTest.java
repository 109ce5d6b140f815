package dev.mediagate.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract's image fields survive JSON and every rewrite of a manifest (visibility, recipe, focus). */
class ManifestImageFieldsTest {

    private static final Recipe.Focus FOCUS = new Recipe.Focus(0.9, 0.5);

    @Test
    void theImageFieldsRoundTripThroughJsonAsTheContractSpellsThem() {
        Manifest manifest = animatedImage().withFocus(FOCUS);

        String json = new String(manifest.toJson(), StandardCharsets.UTF_8);
        Manifest read = Manifest.fromJson(manifest.toJson());

        assertThat(json).contains("\"focus\":{\"x\":0.9,\"y\":0.5}", "\"animated\":true", "\"thumbhash\":\"1QcSHQRYZ4ZoeIeIBwiXh3CHeHj3Z3cA\"",
                "\"dominantColor\":\"#3a5f8c\"", "\"frames\":3", "\"durationMs\":600");
        // unpublishPending reads back false where it was null: isUnpublishPending() is serialised too (as before).
        assertThat(read).usingRecursiveComparison().ignoringFields("unpublishPending").isEqualTo(manifest);
    }

    @Test
    void aVisibilityChangeARecipeAndAFocusChangeKeepEveryOtherImageField() {
        Manifest manifest = animatedImage();

        for (Manifest rewritten : new Manifest[] {manifest.withVisibility(Visibility.PUBLIC, false, "2026-12-02T10:00:00Z", "c1"),
                manifest.withRecipe("0123456789abcdef"), manifest.withFocus(FOCUS)}) {
            assertThat(rewritten.animated()).isTrue();
            assertThat(rewritten.thumbhash()).isEqualTo(manifest.thumbhash());
            assertThat(rewritten.dominantColor()).isEqualTo(manifest.dominantColor());
            assertThat(rewritten.source()).isEqualTo(manifest.source());
        }
        assertThat(manifest.withFocus(FOCUS).withVisibility(Visibility.PUBLIC, false, null).withRecipe("r").focus()).isEqualTo(FOCUS);
        assertThat(manifest.withFocus(FOCUS).withFocus(null).focus()).isNull();
    }

    private static Manifest animatedImage() {
        return new Manifest(Manifest.VERSION, "f", Manifest.READY, null, "private",
                new Manifest.Source("originals/o/f", "e", "a.gif", "image/gif", 10, 400, 200, 3, true, 600),
                Map.of("thumb", new Manifest.VariantEntry("variants/o/f/thumb.jpg", 320, 160, "image/jpeg", 100)),
                "data:image/jpeg;base64,AA", "2026-12-02T10:00:00Z", null, null)
                .withSummaries(true, "1QcSHQRYZ4ZoeIeIBwiXh3CHeHj3Z3cA", "#3a5f8c");
    }
}
