package dev.mediagate.core.files;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a file stands, as the contract spells it in manifests ({@code ready}, {@code rejected}), API answers and events
 * ({@code processing}, {@code failed}, {@code deleted} too). JSON holds the {@link #code()}, never the constant's name.
 */
public enum FileStatus {
    /** Uploaded (or being uploaded), no verdict yet. */
    PROCESSING,
    /** Variants made (an image) or the document accepted. */
    READY,
    /** The bytes are not a file mediagate accepts; a manifest names the reason. */
    REJECTED,
    /** Processing gave up (events only: no manifest is written). */
    FAILED,
    /** The file was deleted (events only). */
    DELETED;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for anything but one of the contract's codes */
    @JsonCreator
    public static FileStatus fromCode(String code) {
        for (FileStatus status : values()) {
            if (status.code().equals(code)) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a file status: " + code);
    }

    @Override
    public String toString() {
        return code();
    }
}
