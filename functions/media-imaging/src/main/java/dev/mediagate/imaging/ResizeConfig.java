package dev.mediagate.imaging;

import dev.mediagate.core.config.Settings;
import java.util.List;
import java.util.Set;

/** What the resizer needs, read once at init. */
public record ResizeConfig(List<VariantSpec> variants, long maxSourcePixels, int jpegQuality, Set<VariantFormat> formats) {

    public static final String DEFAULT_VARIANTS = "thumb=320x320,medium=1024x1024,large=2048x2048";
    public static final String DEFAULT_FORMATS = "webp";

    public ResizeConfig {
        variants = List.copyOf(variants);
        formats = Set.copyOf(formats);
    }

    public static ResizeConfig from(Settings settings) {
        return new ResizeConfig(
                VariantSpec.parseList("VARIANTS", settings.string("VARIANTS", DEFAULT_VARIANTS)),
                settings.longInRange("MAX_SOURCE_PIXELS", 50_000_000L, 1, 250_000_000L),
                (int) settings.longInRange("JPEG_QUALITY", 82, 1, 100),
                // Set but empty means no alternates at all; unset means the default.
                settings.isSet("VARIANT_FORMATS")
                        ? VariantFormat.parseList("VARIANT_FORMATS", settings.string("VARIANT_FORMATS", ""))
                        : VariantFormat.parseList("VARIANT_FORMATS", DEFAULT_FORMATS));
    }
}
