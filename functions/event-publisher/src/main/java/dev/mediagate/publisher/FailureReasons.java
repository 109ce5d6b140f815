package dev.mediagate.publisher;

/**
 * Why the resizer gave up, as a short code for {@code file.failed}'s {@code reason}: never the error's message, which may
 * name keys or internals.
 */
final class FailureReasons {

    private FailureReasons() {
    }

    static String of(String condition, String errorType, String errorMessage) {
        if ("EventAgeExceeded".equals(condition)) {
            return "event-too-old";
        }
        if (errorMessage.contains("Task timed out") || errorType.contains("Timeout")) {
            return "timeout";
        }
        if (errorType.contains("OutOfMemory") || errorMessage.contains("Runtime exited") && errorMessage.contains("memory")) {
            return "out-of-memory";
        }
        if (errorType.contains("S3Exception") || errorType.contains("SdkClientException") || errorType.contains("EventBridge")) {
            return "storage-unavailable";
        }
        return "processing-error";
    }
}
