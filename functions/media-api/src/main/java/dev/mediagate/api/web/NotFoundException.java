package dev.mediagate.api.web;

/** The file does not exist for this caller: the same answer whether it is missing or belongs to someone else. */
public final class NotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotFoundException() {
        this("No such file.");
    }

    public NotFoundException(String detail) {
        super(detail);
    }
}
