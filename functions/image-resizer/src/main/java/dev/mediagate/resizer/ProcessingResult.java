package dev.mediagate.resizer;

/** What became of one S3 record: {@code ready}, {@code rejected} (with the reason) or {@code skipped} (with why). */
record ProcessingResult(String key, String outcome, String reason) {

    static ProcessingResult skipped(String key, String why) {
        return new ProcessingResult(key, "skipped", why);
    }
}
