package dev.mediagate.imaging;

/** Why an upload ends {@code rejected}; {@link #code()} is what the manifest and the API show. */
public enum RejectionReason {
    NOT_AN_IMAGE("not-an-image"),
    TYPE_MISMATCH("type-mismatch"),
    TOO_MANY_PIXELS("too-many-pixels"),
    CORRUPT("corrupt"),
    TOO_LARGE("too-large"),
    UNSUPPORTED_FORMAT("unsupported-format"),
    /** GuardDuty's malware scan found a threat (MalwareScanning=guardduty): decided by the scan, never by the bytes here. */
    MALWARE("malware"),
    /** GuardDuty's scan did not conclude (UNSUPPORTED, ACCESS_DENIED, FAILED) and the stack does not fail open. */
    SCAN_FAILED("scan-failed");

    private final String code;

    RejectionReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Whether a malware scan decided this rejection: reprocessing the bytes could never undo it. */
    public boolean decidedByMalwareScan() {
        return this == MALWARE || this == SCAN_FAILED;
    }

    /** The reason with this code, if any. */
    public static java.util.Optional<RejectionReason> ofCode(String code) {
        return java.util.Arrays.stream(values()).filter(reason -> reason.code.equals(code)).findFirst();
    }
}
