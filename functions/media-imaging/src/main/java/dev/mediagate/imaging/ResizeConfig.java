package dev.mediagate.imaging;

import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.Recipe;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What the resizer needs, read once at init. */
public record ResizeConfig(List<VariantSpec> variants, long maxSourcePixels, int jpegQuality, Set<VariantFormat> formats) {

    public static final String DEFAULT_VARIANTS = Recipe.DEFAULT_VARIANTS;
    public static final String DEFAULT_FORMATS = Recipe.DEFAULT_FORMATS;

    public ResizeConfig {
        variants = List.copyOf(variants);
        formats = Set.copyOf(formats);
    }

    public static ResizeConfig from(Settings settings) {
        return new ResizeConfig(
                VariantSpec.parseList("VARIANTS", settings.string("VARIANTS", DEFAULT_VARIANTS)),
                settings.longInRange("MAX_SOURCE_PIXELS", 50_000_000L, 1, 250_000_000L),
                (int) settings.longInRange("JPEG_QUALITY", Recipe.DEFAULT_JPEG_QUALITY, 1, 100),
                // Set but empty means no alternates at all; unset means the default.
                settings.isSet("VARIANT_FORMATS")
                        ? VariantFormat.parseList("VARIANT_FORMATS", settings.string("VARIANT_FORMATS", ""))
                        : VariantFormat.parseList("VARIANT_FORMATS", DEFAULT_FORMATS));
    }

    /**
     * The recipe's inputs, written back from what was parsed ({@code name=WxH[:cover[:attention|:entropy]]}, format names): the same
     * canonical text as the API's {@link Recipe.Config#from(Settings)} reads from the raw variables, so both name the
     * same recipe.
     */
    public Recipe.Config recipeConfig() {
        String variantText = variants.stream()
                .map(VariantSpec::text)
                .collect(Collectors.joining(","));
        String formatText = formats.stream().map(VariantFormat::extension).collect(Collectors.joining(","));
        return new Recipe.Config(variantText, formatText, jpegQuality);
    }
}
