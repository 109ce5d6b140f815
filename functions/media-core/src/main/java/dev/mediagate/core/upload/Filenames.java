package dev.mediagate.core.upload;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/** Turns whatever a browser reports as a file name into a safe display name, and encodes it for headers. */
public final class Filenames {

    public static final int MAX_BYTES = 255;
    private static final String ATTR_CHARS = "!#$&+-.^_`|~";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Filenames() {
    }

    /**
     * NFC-normalises, removes control characters, bidi overrides and invisible separators, then keeps the last
     * path part; returns an empty string when no name is left. The result is only ever a display name: keys use the file id.
     */
    public static String sanitize(String raw) {
        String normalized = Normalizer.normalize(raw, Normalizer.Form.NFC);
        StringBuilder kept = new StringBuilder(normalized.length());
        normalized.codePoints().filter(cp -> !isRemoved(cp)).forEach(kept::appendCodePoint);
        String visible = kept.toString();
        int lastSeparator = Math.max(visible.lastIndexOf('/'), visible.lastIndexOf('\\'));
        String name = visible.substring(lastSeparator + 1).strip();
        return name.equals(".") || name.equals("..") ? "" : name;
    }

    public static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** {@code attachment; filename*=UTF-8''…} (RFC 6266 / RFC 5987): browsers save under the real name, never render inline. */
    public static String attachmentDisposition(String filename) {
        return "attachment; filename*=UTF-8''" + percentEncode(filename);
    }

    /** RFC 5987 {@code attr-char} percent-encoding of the UTF-8 bytes: plain ASCII, safe in any header. */
    public static String percentEncode(String text) {
        StringBuilder out = new StringBuilder(text.length() * 3);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ATTR_CHARS.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return out.toString();
    }

    /** Reverses {@link #percentEncode}; a malformed escape is kept as it is. */
    public static String percentDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()
                    && Character.digit(text.charAt(i + 1), 16) >= 0 && Character.digit(text.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(text.charAt(i + 1), 16) << 4 | Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isRemoved(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL
                || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || isBidiControl(codePoint)
                || codePoint == 0xFEFF;
    }

    private static boolean isBidiControl(int cp) {
        return cp == 0x061C || cp == 0x200E || cp == 0x200F
                || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069);
    }
}
