package dev.mediagate.core.files;

import dev.mediagate.core.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A manifest's {@code recipe}: a short name for everything that decides the bytes of a file's variants — the variant
 * boxes ({@code VARIANTS}), the extra encodings ({@code VARIANT_FORMATS}), {@code JPEG_QUALITY}, the engine (the pinned
 * libvips and {@link #PIPELINE_REVISION} of our own code around it) and the file's focus. Two manifests with the same
 * recipe hold the same variants; when any input changes, every manifest written before is stale and a reprocessing
 * makes its variants again. It is a pure function of its inputs, computed the same way by the resizer (which writes it)
 * and the API (which compares it), each from the same environment variables.
 *
 * <p>The inputs are written in a canonical text (variants and formats sorted, so that reordering a list that makes the
 * same bytes does not make every file stale) and hashed: {@code recipe} is the first 64 bits of its SHA-256, in hex.
 */
public final class Recipe {

    /** The libvips the resizer's layer pins; the resizer refuses to start with any other (its test checks they agree). */
    public static final String LIBVIPS_VERSION = "8.18.7";
    /**
     * Raised by hand whenever our own code changes the variants' bytes for the same inputs (an encoder option, the
     * colour handling, the crop): every existing manifest becomes stale, as a new libvips makes it.
     */
    public static final int PIPELINE_REVISION = 1;
    public static final String DEFAULT_VARIANTS = "thumb=320x320,medium=1024x1024,large=2048x2048";
    public static final String DEFAULT_FORMATS = "webp";
    public static final int DEFAULT_JPEG_QUALITY = 82;
    /** A document's variants are none whatever the configuration: its recipe never goes stale. */
    public static final String DOCUMENT = "document";

    private Recipe() {
    }

    /** The configuration part of a recipe, as the functions' environment gives it. */
    public record Config(String variants, String formats, int jpegQuality, String engine) {

        public Config {
            variants = canonicalList(variants, false);
            formats = canonicalList(formats, true);
        }

        public Config(String variants, String formats, int jpegQuality) {
            this(variants, formats, jpegQuality, currentEngine());
        }

        /** {@code VARIANTS}, {@code VARIANT_FORMATS} (set but empty: none) and {@code JPEG_QUALITY}, with their defaults. */
        public static Config from(Settings settings) {
            return new Config(settings.string("VARIANTS", DEFAULT_VARIANTS),
                    settings.isSet("VARIANT_FORMATS") ? settings.string("VARIANT_FORMATS", "") : DEFAULT_FORMATS,
                    (int) settings.longInRange("JPEG_QUALITY", DEFAULT_JPEG_QUALITY, 1, 100));
        }

        /**
         * The configuration as the HTTP API stage's {@code resizerConfig} variable carries it to the API
         * ({@code variants=…&formats=…&jpegQuality=N}, each once; formats may be empty), written by template.yaml from the
         * parameters that set the resizer's environment. Empty when malformed.
         */
        public static Optional<Config> fromStageVariable(String text) {
            java.util.Map<String, String> values = new java.util.HashMap<>();
            for (String part : text.split("&", -1)) {
                int equals = part.indexOf('=');
                if (equals < 0 || values.put(part.substring(0, equals), part.substring(equals + 1)) != null) {
                    return Optional.empty();
                }
            }
            if (values.size() != 3 || !values.containsKey("variants") || !values.containsKey("formats")
                    || !values.getOrDefault("jpegQuality", "").matches("[1-9][0-9]?|100")) {
                return Optional.empty();
            }
            return Optional.of(new Config(values.get("variants"), values.get("formats"), Integer.parseInt(values.get("jpegQuality"))));
        }

        /** The text that is hashed for a file with this {@code focus} (null: none). */
        String canonical(Focus focus) {
            return "variants=" + variants + ";formats=" + formats + ";jpegQuality=" + jpegQuality + ";engine=" + engine
                    + ";focus=" + (focus == null ? "none" : focus.x() + "," + focus.y());
        }
    }

    /** A focal point, 0…1 of the upright image. */
    public record Focus(double x, double y) {
    }

    /** The engine as named in a recipe: libvips' pinned version and our pipeline's revision. */
    public static String currentEngine() {
        return "libvips-" + LIBVIPS_VERSION + "+mediagate." + PIPELINE_REVISION;
    }

    /** The recipe of an image's variants made with {@code config} around {@code focus} (null: no focus set). */
    public static String of(Config config, Focus focus) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(config.canonical(focus).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * What {@code manifest}'s recipe must be for its variants to be today's: a document's is {@link #DOCUMENT}, any other
     * file's (an image, or a rejected file) is today's configuration around the file's focus.
     */
    public static String expectedFor(Manifest manifest, Config config, Focus focus) {
        boolean document = manifest.isReady() && manifest.variants().isEmpty()
                && FileType.fromMimeType(manifest.source().contentType()).map(type -> !type.isImage()).orElse(false);
        return document ? DOCUMENT : of(config, focus);
    }

    /**
     * True when {@code manifest} was not made with today's configuration: a version-1 manifest (written before recipes)
     * always is.
     */
    public static boolean isStale(Manifest manifest, Config config, Focus focus) {
        return manifest.version() < 2 || !expectedFor(manifest, config, focus).equals(manifest.recipe());
    }

    /** Items trimmed, empty ones dropped, sorted and unique; formats also lower-cased (as the resizer reads them). */
    private static String canonicalList(String text, boolean lowerCase) {
        String value = Optional.ofNullable(text).orElse("");
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .map(item -> lowerCase ? item.toLowerCase(Locale.ROOT) : item)
                .filter(item -> !item.isEmpty())
                .sorted()
                .distinct()
                .collect(Collectors.joining(","));
    }
}
