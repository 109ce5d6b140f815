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

    static boolean isTransient(RuntimeException failure) {
        return failure instanceof SdkException || failure instanceof UncheckedIOException
                || failure instanceof EventRefusedException refused && refused.isRetryable();
    }
}
