package dev.mediagate.core.upload;

/** One reason a request field was refused; {@code field} is the JSON name the client sent. */
public record FieldError(String field, String message) {
}
