package dev.mediagate.api.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.Manifest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link FileViews#srcset}: whole-picture variants only, per media type, each width once in ascending order. */
class SrcsetTest {

    @Test
    void aSmallSourceThatSeveralBoxesLeaveAtItsOwnWidthIsListedOncePerFormat() {
        // A 900x600 alpha PNG under thumb=320x320, medium=1024x1024, large=2048x2048: medium and large are both 900 wide.
        Manifest.Source source = new Manifest.Source("originals/o/f", "e", "a.png", "image/png", 1, 900, 600, null, null);
        Map<String, FileView.VariantLink> variants = new LinkedHashMap<>();
        variants.put("thumb", link("thumb", 320, 213, "image/png"));
        variants.put("medium", link("medium", 900, 600, "image/png"));
        variants.put("large", link("large", 900, 600, "image/png"));

        Map<String, String> srcset = FileViews.srcset(source, variants);

        assertThat(srcset).containsExactly(
                Map.entry("image/png", "https://cdn/thumb.png 320w, https://cdn/medium.png 900w"),
                Map.entry("image/webp", "https://cdn/thumb.webp 320w, https://cdn/medium.webp 900w"));
    }

    @Test
    void coverCropsAreLeftOutAndWidthsAscendWhateverTheConfiguredOrder() {
        Manifest.Source source = new Manifest.Source("originals/o/f", "e", "a.jpg", "image/jpeg", 1, 3000, 2000, null, null);
        Map<String, FileView.VariantLink> variants = new LinkedHashMap<>();
        variants.put("large", link("large", 2048, 1365, "image/jpeg"));
        variants.put("avatar", link("avatar", 128, 128, "image/jpeg"));
        variants.put("thumb", link("thumb", 320, 213, "image/jpeg"));

        assertThat(FileViews.srcset(source, variants).get("image/jpeg"))
                .isEqualTo("https://cdn/thumb.jpg 320w, https://cdn/large.jpg 2048w");
    }

    private static FileView.VariantLink link(String name, int width, int height, String type) {
        String extension = type.equals("image/png") ? "png" : "jpg";
        return new FileView.VariantLink("https://cdn/" + name + "." + extension, width, height, type, 100,
                Map.of("image/webp", new FileView.AlternateLink("https://cdn/" + name + ".webp", 50)));
    }
}
