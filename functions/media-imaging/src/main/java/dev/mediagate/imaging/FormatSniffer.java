package dev.mediagate.imaging;

import dev.mediagate.core.files.FileType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** The real format of a file from its first bytes, whatever its name or declared type says. */
public final class FormatSniffer {

    /** Enough of a file's start for every signature checked here. */
    public static final int PREFIX_BYTES = 64;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private FormatSniffer() {
    }

    public static Optional<FileType> sniff(byte[] bytes) {
        if (startsWith(bytes, 0, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return Optional.of(FileType.JPEG);
        }
        if (startsWith(bytes, 0, PNG)) {
            return Optional.of(FileType.PNG);
        }
        if (startsWith(bytes, 0, ascii("GIF87a")) || startsWith(bytes, 0, ascii("GIF89a"))) {
            return Optional.of(FileType.GIF);
        }
        if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) {
            return Optional.of(FileType.WEBP);
        }
        if (startsWith(bytes, 0, ascii("%PDF-"))) {
            return Optional.of(FileType.PDF);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] magic) {
        return bytes.length >= offset + magic.length
                && Arrays.equals(bytes, offset, offset + magic.length, magic, 0, magic.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
