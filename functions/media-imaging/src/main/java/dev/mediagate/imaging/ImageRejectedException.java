package dev.mediagate.imaging;

/** A source that can never become variants: retrying will not help, so it ends as a {@code rejected} manifest. */
final class ImageRejectedException extends Exception {

    private static final long serialVersionUID = 1L;
    private final RejectionReason reason;

    ImageRejectedException(RejectionReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    ImageRejectedException(RejectionReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    RejectionReason reason() {
        return reason;
    }
}
