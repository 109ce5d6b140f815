package dev.mediagate.local.guardduty;

import java.nio.charset.StandardCharsets;

/**
 * The EICAR anti-malware test file (https://www.eicar.org/download-anti-malware-testfile/): 68 printable ASCII
 * characters that every scanner reports as a test virus. It is assembled here from two halves so that no file of this
 * project is itself the test file (or trips a scanner on a developer's machine).
 */
final class Eicar {

    /** The signature's two halves, joined at run time. */
    private static final byte[] SIGNATURE = (String.join("", "X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"))
            .getBytes(StandardCharsets.US_ASCII);
    /** EICAR's rule: the file may carry whitespace after the signature, up to 128 bytes in all. */
    static final int LONGEST_TEST_FILE = 128;

    private Eicar() {
    }

    /**
     * Whether the bytes (an object's first bytes) hold the test file: at the start, as EICAR defines it (followed only
     * by whitespace, 128 bytes at most), or anywhere among them, as the engines also report it inside a larger file.
     */
    static boolean foundIn(byte[] firstBytes) {
        return isTheTestFile(firstBytes) || indexOf(firstBytes) >= 0;
    }

    /** EICAR's strict definition. */
    static boolean isTheTestFile(byte[] bytes) {
        if (bytes.length < SIGNATURE.length || bytes.length > LONGEST_TEST_FILE || indexOf(bytes) != 0) {
            return false;
        }
        for (int i = SIGNATURE.length; i < bytes.length; i++) {
            if (!Character.isWhitespace(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes) {
        outer:
        for (int start = 0; start <= bytes.length - SIGNATURE.length; start++) {
            for (int i = 0; i < SIGNATURE.length; i++) {
                if (bytes[start + i] != SIGNATURE[i]) {
                    continue outer;
                }
            }
            return start;
        }
        return -1;
    }
}
