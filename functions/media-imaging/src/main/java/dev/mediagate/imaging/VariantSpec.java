package dev.mediagate.imaging;

import dev.mediagate.core.config.ConfigurationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One variant: fit inside {@code width × height} (never upscaled), or with a {@link Crop} fill the box: around the
 * file's focus when it has one, else the centre, or with {@code :attention} / {@code :entropy} where libvips' interest
 * finders point.
 */
public record VariantSpec(String name, int width, int height, Crop crop) {

    private static final Pattern ITEM = Pattern.compile(
            "([a-z][a-z0-9-]{0,31})=([1-9][0-9]{0,4})x([1-9][0-9]{0,4})(:cover(?::(attention|entropy))?)?");
    static final int MAX_SIDE = 8192;

    /** How a variant is cut from the picture. */
    public enum Crop {
        /** No crop: the whole picture fits inside the box. */
        NONE,
        /** Fills the box around the focus, else the centre ({@code :cover}). */
        CENTRE,
        /** Fills the box where libvips' attention finder points (skin tones, saturation, edges), unless a focus is set. */
        ATTENTION,
        /** Fills the box at the most detailed region (libvips' entropy finder), unless a focus is set. */
        ENTROPY;

        /** The suffix after {@code WxH} in {@code VARIANTS}. */
        String suffix() {
            return this == NONE ? "" : this == CENTRE ? ":cover" : ":cover:" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether the variant fills its box (any crop), rather than fitting inside it. */
    public boolean cover() {
        return crop != Crop.NONE;
    }

    /** As written in {@code VARIANTS}: {@code name=WxH}, then {@code :cover} or {@code :cover:attention|entropy}. */
    public String text() {
        return name + "=" + width + "x" + height + crop.suffix();
    }

    /** Parses {@code thumb=320x320,medium=1024x1024,avatar=128x128:cover,card=600x315:cover:attention}. */
    public static List<VariantSpec> parseList(String variable, String text) {
        List<VariantSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String item : text.split(",")) {
            Matcher matcher = ITEM.matcher(item.trim());
            if (!matcher.matches()) {
                throw new ConfigurationException(variable, "'" + item.trim() + "' is not name=WIDTHxHEIGHT[:cover[:attention|:entropy]] "
                        + "(name: lower-case letters, digits, '-')");
            }
            int width = Integer.parseInt(matcher.group(2));
            int height = Integer.parseInt(matcher.group(3));
            if (width > MAX_SIDE || height > MAX_SIDE) {
                throw new ConfigurationException(variable, "'" + item.trim() + "' is larger than " + MAX_SIDE + " pixels");
            }
            if (matcher.group(1).equals("manifest") || !names.add(matcher.group(1))) {
                throw new ConfigurationException(variable, "variant name '" + matcher.group(1) + "' is reserved or repeated");
            }
            Crop crop = matcher.group(4) == null ? Crop.NONE
                    : matcher.group(5) == null ? Crop.CENTRE : Crop.valueOf(matcher.group(5).toUpperCase(Locale.ROOT));
            specs.add(new VariantSpec(matcher.group(1), width, height, crop));
        }
        return List.copyOf(specs);
    }
}
