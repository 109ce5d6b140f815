package dev.mediagate.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** Reads named settings (environment variables in Lambda) and fails with the variable's name on bad values. */
public final class Settings {

    private final Function<String, String> lookup;

    public Settings(Function<String, String> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** The process's environment variables, as Lambda sets them from the template. */
    public static Settings fromEnvironment() {
        return new Settings(System::getenv);
    }

    public Optional<String> optional(String name) {
        String value = lookup.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** Whether the setting is present at all, even empty (where empty means something else than the default). */
    public boolean isSet(String name) {
        return lookup.apply(name) != null;
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigurationException(name, "is required but not set"));
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public long longInRange(String name, long defaultValue, long min, long max) {
        Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name, "must be a whole number, got '" + text.get() + "'");
        }
        if (value < min || value > max) {
            throw new ConfigurationException(name, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return switch (text.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(name, "must be true or false, got '" + text.get() + "'");
        };
    }

    /** An absolute http(s) URL without query or fragment; trailing slashes are dropped. */
    public Optional<URI> httpUrl(String name) {
        Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new ConfigurationException(name, "must be an http(s) URL without query, got '" + text.get() + "'");
            }
            String normalized = text.get().replaceAll("/+$", "");
            return Optional.of(new URI(normalized));
        } catch (URISyntaxException e) {
            throw new ConfigurationException(name, "is not a valid URL: '" + text.get() + "'");
        }
    }
}
