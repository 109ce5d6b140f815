package dev.mediagate.resizer;

import java.io.UncheckedIOException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Which failures a retry can cure: the AWS SDK's (S3 or the bus unreachable, throttled, failing) and I/O. Anything else
 * (an unreadable manifest, a defect met by these bytes) fails the same way every time.
 */
final class Failures {

    private Failures() {
    }

    static boolean isTransient(RuntimeException failure) {
        return failure instanceof SdkException || failure instanceof UncheckedIOException;
    }
}
