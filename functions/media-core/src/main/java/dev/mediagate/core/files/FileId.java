package dev.mediagate.core.files;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** An unguessable file identifier: a random (version 4) UUID, 122 random bits, {@code [a-f0-9-]} only. */
public record FileId(String value) {

    private static final Pattern FORMAT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    public FileId {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a file id");
        }
    }

    /** Uses {@link UUID#randomUUID()}, whose {@link SecureRandom} is seeded on first use, never at build time. */
    public static FileId random() {
        return new FileId(UUID.randomUUID().toString());
    }

    /** Empty for anything that cannot be a file id, so callers answer 404 instead of echoing the input. */
    public static Optional<FileId> parse(String text) {
        return text != null && FORMAT.matcher(text).matches() ? Optional.of(new FileId(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
