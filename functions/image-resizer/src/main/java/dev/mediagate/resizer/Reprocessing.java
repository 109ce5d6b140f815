package dev.mediagate.resizer;

import dev.mediagate.core.files.FileStatus;

/** One original's variants made again with today's configuration (Batch Operations, the API's route, the local command). */
interface Reprocessing {

    /**
     * Makes {@code key}'s variants again when its manifest's recipe is not today's (or there is no manifest yet: a
     * repair), or always with {@code force}. S3 or bus trouble throws (a retry can cure it); what no retry can change is
     * an {@link Outcome} whose kind {@link Kind#isFailure() is a failure}.
     */
    Outcome reprocess(String bucket, String key, boolean force);

    enum Kind {
        /** New variants (or a new verdict) were written and announced. */
        REPROCESSED("reprocessed", false),
        /** The manifest's recipe is today's: nothing to do. */
        CURRENT("current", false),
        /** The file was deleted (or is being deleted): nothing may be written for it. */
        DELETED("deleted", false),
        /** A change of the file ({@code PATCH}, another run) came first: a retry starts from what it left. */
        RACED("changed meanwhile", false),
        NO_ORIGINAL("no such original", true),
        NOT_AN_ORIGINAL("not an original", true);

        private final String label;
        private final boolean failure;

        Kind(String label, boolean failure) {
            this.label = label;
            this.failure = failure;
        }

        String label() {
            return label;
        }

        boolean isFailure() {
            return failure;
        }
    }

    /** What happened, with the detail for the job's report ({@code status} and {@code recipe} when known). */
    record Outcome(Kind kind, String detail, FileStatus status, String recipe) {
    }
}
