package dev.mediagate.resizer;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.mediagate.core.files.FileStatus;
import java.util.Locale;

/** What became of one original: {@code ready}, {@code rejected} (with the reason), {@code skipped} (with why) or {@code failed}. */
record ProcessingResult(String key, Outcome outcome, String reason) {

    enum Outcome {
        READY, REJECTED, SKIPPED, FAILED;

        /** As the handler's JSON answer spells it. */
        @JsonValue
        String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A manifest's verdict. */
        static Outcome of(FileStatus verdict) {
            return switch (verdict) {
                case READY -> READY;
                case REJECTED -> REJECTED;
                default -> throw new IllegalArgumentException("not a verdict: " + verdict);
            };
        }

        @Override
        public String toString() {
            return code();
        }
    }

    static ProcessingResult skipped(String key, String why) {
        return new ProcessingResult(key, Outcome.SKIPPED, why);
    }

    static ProcessingResult failed(String key, String why) {
        return new ProcessingResult(key, Outcome.FAILED, why);
    }
}
