package dev.mediagate.imaging;

import dev.mediagate.core.files.FileType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
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
        return heif(bytes);
    }

    /**
     * Whether bytes sniffed as {@code sniffed} may be uploaded as {@code declared}: the same type, or an HEVC-coded
     * HEIF declared {@code image/heif}, which IANA's registration of the HEIF types gives to HEIF images of any coding
     * ({@code image/heic} to HEVC-coded ones only).
     */
    public static boolean matches(FileType declared, FileType sniffed) {
        return declared == sniffed || declared == FileType.HEIF && sniffed == FileType.HEIC;
    }

    /** HEIC/HEIF brands (ISO/IEC 23008-12 Annex B): HEVC-coded images and sequences, and structural HEIF. */
    private static final List<String> HEVC_BRANDS = List.of("heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs");
    private static final List<String> HEIF_BRANDS = List.of("mif1", "msf1", "mif2");

    /**
     * An ISO base media file whose {@code ftyp} box names a HEIF brand: an HEVC brand as its major or one of its
     * compatible brands makes it {@code image/heic} (iPhones write major {@code heic} with {@code mif1}); {@code mif1}
     * or {@code msf1} alone {@code image/heif}. AVIF ({@code avif} major brand, also {@code mif1}-compatible) is neither.
     */
    private static Optional<FileType> heif(byte[] bytes) {
        if (!startsWith(bytes, 4, ascii("ftyp")) || bytes.length < 16) {
            return Optional.empty();
        }
        long boxSize = ((bytes[0] & 0xFFL) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
        if (boxSize < 16 || boxSize % 4 != 0) {
            return Optional.empty();
        }
        String major = new String(bytes, 8, 4, StandardCharsets.US_ASCII);
        if (major.equals("avif") || major.equals("avis")) {
            return Optional.empty();
        }
        List<String> brands = new java.util.ArrayList<>(List.of(major));
        for (int p = 16; p + 4 <= Math.min(boxSize, bytes.length); p += 4) {
            brands.add(new String(bytes, p, 4, StandardCharsets.US_ASCII));
        }
        if (brands.stream().anyMatch(HEVC_BRANDS::contains)) {
            return Optional.of(FileType.HEIC);
        }
        if (brands.stream().anyMatch(HEIF_BRANDS::contains)) {
            return Optional.of(FileType.HEIF);
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
