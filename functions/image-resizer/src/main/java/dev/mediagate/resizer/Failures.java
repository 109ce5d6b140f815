package dev.mediagate.resizer;

import dev.mediagate.events.EventRefusedException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Which failures a retry can cure: the AWS SDK's (S3 or the bus unreachable, throttled, failing), I/O, and an event the
 * bus refused with a retryable code (a throttle arrives as a refused entry of a successful call, not as an SDK error).
 * Anything else (an unreadable manifest, a defect met by these bytes) fails the same way every time.
 */
final class Failures {

    private Failures() {
    }

    /**
     * {@code file.failed}'s {@code reason} for a failure the resizer met itself: a short code, never the error's
     * message (it may name keys or internals). The same codes as Lambda's failure records used to give.
     */
    static String reason(RuntimeException failure) {
        String type = failure.getClass().getSimpleName();
        if (type.contains("Timeout")) {
            return "timeout";
        }
        if (failure instanceof SdkException || failure instanceof EventRefusedException || failure instanceof UncheckedIOException) {
            return "storage-unavailable";
        }
        return "processing-error";
    }

    static boolean isTransient(RuntimeException failure) {
        return failure instanceof SdkException || failure instanceof UncheckedIOException
                || failure instanceof EventRefusedException refused && refused.isRetryable();
    }
}
