package dev.mediagate.imaging;

/** Why an upload ends {@code rejected}; {@link #code()} is what the manifest and the API show. */
public enum RejectionReason {
    NOT_AN_IMAGE("not-an-image"),
    TYPE_MISMATCH("type-mismatch"),
    TOO_MANY_PIXELS("too-many-pixels"),
    CORRUPT("corrupt"),
    TOO_LARGE("too-large"),
    UNSUPPORTED_FORMAT("unsupported-format");

    private final String code;

    RejectionReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
