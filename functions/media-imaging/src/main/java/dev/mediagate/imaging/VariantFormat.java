package dev.mediagate.imaging;

import dev.mediagate.core.config.ConfigurationException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** An extra encoding of every variant ({@code VARIANT_FORMATS}): its media type and key extension. */
public enum VariantFormat {
    WEBP("image/webp", "webp"),
    AVIF("image/avif", "avif");

    private final String mimeType;
    private final String extension;

    VariantFormat(String mimeType, String extension) {
        this.mimeType = mimeType;
        this.extension = extension;
    }

    public String mimeType() {
        return mimeType;
    }

    public String extension() {
        return extension;
    }

    /** Parses {@code webp}, {@code avif}, {@code webp,avif} or nothing at all. */
    public static Set<VariantFormat> parseList(String variable, String text) {
        Set<VariantFormat> formats = EnumSet.noneOf(VariantFormat.class);
        for (String item : text.split(",")) {
            String name = item.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            try {
                formats.add(valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(variable, "'" + item.trim() + "' is not one of webp, avif");
            }
        }
        return formats;
    }
}
