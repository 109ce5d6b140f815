package dev.mediagate.core.upload;

import java.util.List;

/** A request that breaks the contract; carries every field error found, not just the first. */
public final class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient List<FieldError> errors;

    public InvalidRequestException(String detail, List<FieldError> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
