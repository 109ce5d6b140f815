package dev.mediagate.events;

import java.util.Set;

/**
 * EventBridge answered {@code PutEvents} but refused the entry (a per-entry {@code ErrorCode}, not an HTTP error, so the
 * SDK's own retries never see it). Whether a retry can cure it is the code's: the EventBridge API reference lists
 * {@code InternalFailure} and {@code ThrottlingException} as retryable, the rest ({@code AccessDeniedException},
 * {@code InvalidArgument}, {@code MalformedDetail}, …) as not (PutEventsResultEntry, "Retryable errors include").
 */
public final class EventRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** The retryable codes of PutEventsResultEntry.ErrorCode, as the API reference names them. */
    static final Set<String> RETRYABLE_CODES = Set.of("InternalFailure", "ThrottlingException");

    private final String errorCode;

    EventRefusedException(String type, String eventId, String errorCode) {
        super("EventBridge refused " + type + " " + eventId + ": " + errorCode);
        this.errorCode = errorCode;
    }

    public String errorCode() {
        return errorCode;
    }

    /** A throttle or EventBridge's own failure: the same event put again later goes through. */
    public boolean isRetryable() {
        return RETRYABLE_CODES.contains(errorCode);
    }
}
