package dev.mediagate.api.web;

/** The request is well formed but the file's state does not allow it now (409). */
public final class ConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String detail) {
        super(detail);
    }
}
