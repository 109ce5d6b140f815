package dev.mediagate.imaging;

import dev.mediagate.core.config.ConfigurationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One variant: fit inside {@code width × height} (never upscaled), or with {@code cover} fill it with a centred crop. */
public record VariantSpec(String name, int width, int height, boolean cover) {

    private static final Pattern ITEM = Pattern.compile("([a-z][a-z0-9-]{0,31})=([1-9][0-9]{0,4})x([1-9][0-9]{0,4})(:cover)?");
    static final int MAX_SIDE = 8192;

    /** Parses {@code thumb=320x320,medium=1024x1024,avatar=128x128:cover}. */
    public static List<VariantSpec> parseList(String variable, String text) {
        List<VariantSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String item : text.split(",")) {
            Matcher matcher = ITEM.matcher(item.trim());
            if (!matcher.matches()) {
                throw new ConfigurationException(variable, "'" + item.trim() + "' is not name=WIDTHxHEIGHT[:cover] "
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
            specs.add(new VariantSpec(matcher.group(1), width, height, matcher.group(4) != null));
        }
        return List.copyOf(specs);
    }
}
