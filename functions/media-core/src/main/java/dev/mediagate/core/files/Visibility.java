package dev.mediagate.core.files;

import java.util.Locale;
import java.util.Optional;

/** Who sees a file's variants: the owner and those they sign for ({@code private}), or everyone ({@code public}). */
public enum Visibility {
    PRIVATE, PUBLIC;

    /** As the contract spells it in JSON, S3 metadata and manifests. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Empty for anything but the two exact codes. */
    public static Optional<Visibility> fromCode(String code) {
        if ("private".equals(code)) {
            return Optional.of(PRIVATE);
        }
        return "public".equals(code) ? Optional.of(PUBLIC) : Optional.empty();
    }

    /** An upload's metadata value or a manifest field; absent (files from before visibility existed) means private. */
    public static Visibility fromStored(String code) {
        return fromCode(code).orElse(PRIVATE);
    }
}
