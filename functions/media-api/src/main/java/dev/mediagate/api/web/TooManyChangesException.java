package dev.mediagate.api.web;

import java.time.Duration;

/** A file changed too often within a while: {@code 429} with {@code Retry-After}, when the next change is accepted. */
public final class TooManyChangesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public TooManyChangesException(String detail, Duration retryAfter) {
        super(detail);
        this.retryAfter = retryAfter;
    }

    /** Whole seconds, at least one, as {@code Retry-After} carries them. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
