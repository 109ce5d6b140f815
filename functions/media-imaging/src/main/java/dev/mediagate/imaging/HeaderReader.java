package dev.mediagate.imaging;

import dev.mediagate.core.files.FileType;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The pixel size a file declares, read in Java from its header alone, so that a decompression bomb is refused before
 * any native decoder sees its bytes. Empty when the header is missing or malformed.
 */
final class HeaderReader {

    /** Width and height as the file stores them (before any EXIF orientation). */
    record Size(long width, long height) {
    }

    private HeaderReader() {
    }

    static Optional<Size> read(byte[] bytes, FileType type) {
        return read(ByteBuffer.wrap(bytes), type);
    }

    /** The same from a view of the file (its bytes in native memory), read by index: nothing is copied. */
    static Optional<Size> read(ByteBuffer bytes, FileType type) {
        return switch (type) {
            case JPEG -> jpeg(bytes);
            case PNG -> bytes.limit() >= 24 ? size(bigEndian(bytes, 16, 4), bigEndian(bytes, 20, 4)) : Optional.empty();
            case GIF -> bytes.limit() >= 10 ? size(littleEndian(bytes, 6, 2), littleEndian(bytes, 8, 2)) : Optional.empty();
            case WEBP -> webp(bytes);
            default -> Optional.empty();
        };
    }

    /** The first start-of-frame segment's size; the segments before it are skipped by their lengths. */
    private static Optional<Size> jpeg(ByteBuffer bytes) {
        int p = 2;
        while (p + 4 <= bytes.limit()) {
            if ((bytes.get(p) & 0xFF) != 0xFF) {
                return Optional.empty();
            }
            int marker = bytes.get(p + 1) & 0xFF;
            if (marker == 0xFF) {
                p++;
                continue;
            }
            if (marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                p += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return Optional.empty();
            }
            int length = (int) bigEndian(bytes, p + 2, 2);
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                return p + 9 <= bytes.limit() ? size(bigEndian(bytes, p + 7, 2), bigEndian(bytes, p + 5, 2)) : Optional.empty();
            }
            if (length < 2) {
                return Optional.empty();
            }
            p += 2 + length;
        }
        return Optional.empty();
    }

    /** The first chunk's size: lossy ({@code VP8 }), lossless ({@code VP8L}) or extended ({@code VP8X}, canvas). */
    private static Optional<Size> webp(ByteBuffer bytes) {
        if (bytes.limit() < 30) {
            return Optional.empty();
        }
        byte[] name = new byte[4];
        bytes.get(12, name);
        String chunk = new String(name, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8 " -> size(littleEndian(bytes, 26, 2) & 0x3FFF, littleEndian(bytes, 28, 2) & 0x3FFF);
            case "VP8L" -> {
                long bits = littleEndian(bytes, 21, 4);
                yield size((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
            }
            case "VP8X" -> size(littleEndian(bytes, 24, 3) + 1, littleEndian(bytes, 27, 3) + 1);
            default -> Optional.empty();
        };
    }

    private static Optional<Size> size(long width, long height) {
        return width > 0 && height > 0 ? Optional.of(new Size(width, height)) : Optional.empty();
    }

    private static long bigEndian(ByteBuffer bytes, int offset, int length) {
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = value << 8 | (bytes.get(offset + i) & 0xFF);
        }
        return value;
    }

    private static long littleEndian(ByteBuffer bytes, int offset, int length) {
        long value = 0;
        for (int i = length - 1; i >= 0; i--) {
            value = value << 8 | (bytes.get(offset + i) & 0xFF);
        }
        return value;
    }
}
