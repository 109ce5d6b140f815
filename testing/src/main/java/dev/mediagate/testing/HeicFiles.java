package dev.mediagate.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HEIC files made in the build, as an iPhone lays out a photo taken in any of the eight orientations: the pixels as the
 * sensor stored them, an {@code irot}/{@code imir} transform on the primary image that makes them upright, and an EXIF
 * block whose Orientation says the same (with GPS, XMP from the source JPEG: metadata to be stripped). Encoded by
 * Debian's {@code heif-enc} (libheif-examples) from a JPEG of the JDK's own writer; {@code heif-enc} copies the EXIF but
 * writes no transform, so the transform boxes are added here.
 */
public final class HeicFiles {

    private HeicFiles() {
    }

    /** The stored picture for EXIF {@code orientation}: what, turned as that orientation says, is {@code upright}. */
    public static BufferedImage stored(BufferedImage upright, int orientation) {
        int width = upright.getWidth();
        int height = upright.getHeight();
        boolean swap = orientation >= 5;
        int storedWidth = swap ? height : width;
        int storedHeight = swap ? width : height;
        BufferedImage stored = new BufferedImage(storedWidth, storedHeight, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < storedHeight; y++) {
            for (int x = 0; x < storedWidth; x++) {
                // Where the stored pixel (x, y) is shown (EXIF 2.32, Orientation).
                int[] shown = switch (orientation) {
                    case 1 -> new int[] {x, y};
                    case 2 -> new int[] {storedWidth - 1 - x, y};
                    case 3 -> new int[] {storedWidth - 1 - x, storedHeight - 1 - y};
                    case 4 -> new int[] {x, storedHeight - 1 - y};
                    case 5 -> new int[] {y, x};
                    case 6 -> new int[] {storedHeight - 1 - y, x};
                    case 7 -> new int[] {storedHeight - 1 - y, storedWidth - 1 - x};
                    case 8 -> new int[] {y, storedWidth - 1 - x};
                    default -> throw new IllegalArgumentException("EXIF orientation " + orientation);
                };
                stored.setRGB(x, y, upright.getRGB(shown[0], shown[1]));
            }
        }
        return stored;
    }

    /** A HEIC of {@code upright} as stored for EXIF {@code orientation}, with the transform and the EXIF that say so. */
    public static byte[] heic(BufferedImage upright, int orientation, Path work) {
        return encode(Images.withMetadata(Images.jpeg(stored(upright, orientation), 95, false), orientation, true, 0), orientation, work);
    }

    /** A HEIC of {@code picture} tagged with the ICC profile {@code icc} (which heif-enc carries over from the JPEG). */
    public static byte[] heicWithProfile(BufferedImage picture, byte[] icc, Path work) {
        byte[] payload = new byte[14 + icc.length];
        System.arraycopy("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, payload, 0, 12);
        payload[12] = 1;
        payload[13] = 1;
        System.arraycopy(icc, 0, payload, 14, icc.length);
        return encode(Images.withSegment(Images.jpeg(picture, 95, false), 0xE2, payload), 1, work);
    }

    private static byte[] encode(byte[] jpeg, int orientation, Path work) {
        Path heifEnc = RequiredTools.require("heif-enc", "heif-enc (apt-get install libheif-examples)");
        try {
            Path source = Files.createTempFile(work, "stored-" + orientation + "-", ".jpg");
            Path target = source.resolveSibling(source.getFileName().toString().replace(".jpg", ".heic"));
            Files.write(source, jpeg);
            Process process = new ProcessBuilder(heifEnc.toString(), "-q", "90", "-o", target.toString(), source.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("heif-enc failed on " + source);
            }
            return withTransforms(Files.readAllBytes(target), orientation);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The transform properties that turn the stored picture upright for EXIF {@code orientation}, in the order they
     * apply (ISO/IEC 23008-12, 6.5.10 and 6.5.12): {@code irot} turns anticlockwise by 90° steps; {@code imir} mirrors,
     * its axis as libheif reads it (the decoder libvips, ImageMagick and GIMP use, 1.11 and 1.15 alike): 0 flips top and
     * bottom, 1 left and right.
     */
    static List<byte[]> transforms(int orientation) {
        return switch (orientation) {
            case 1 -> List.of();
            case 2 -> List.of(imir(1));
            case 3 -> List.of(irot(2));
            case 4 -> List.of(imir(0));
            case 5 -> List.of(imir(1), irot(1));
            case 6 -> List.of(irot(3));
            case 7 -> List.of(imir(1), irot(3));
            case 8 -> List.of(irot(1));
            default -> throw new IllegalArgumentException("EXIF orientation " + orientation);
        };
    }

    /**
     * The HEIF with {@code orientation}'s transform properties added to {@code ipco} and associated (essential) with the
     * primary item in {@code ipma}; {@code meta} grows, so every {@code iloc} file offset past it moves as much.
     */
    static byte[] withTransforms(byte[] heif, int orientation) {
        List<byte[]> properties = transforms(orientation);
        if (properties.isEmpty()) {
            return heif;
        }
        ByteBuffer file = ByteBuffer.wrap(heif.clone());
        int meta = find(file, 0, heif.length, "meta");
        int metaEnd = meta + file.getInt(meta);
        int children = meta + 12;
        int primary = Short.toUnsignedInt(file.getShort(find(file, children, metaEnd, "pitm") + 12));
        int iprp = find(file, children, metaEnd, "iprp");
        int iprpEnd = iprp + file.getInt(iprp);
        int ipco = find(file, iprp + 8, iprpEnd, "ipco");
        int ipcoEnd = ipco + file.getInt(ipco);
        int ipma = find(file, iprp + 8, iprpEnd, "ipma");
        int existing = 0;
        for (int p = ipco + 8; p < ipcoEnd; p += file.getInt(p)) {
            existing++;
        }
        int propertyBytes = properties.stream().mapToInt(box -> box.length).sum();
        int associationBytes = properties.size();
        int grown = propertyBytes + associationBytes;

        // ipma: version 0 (16-bit item ids), flags 0 (one-byte associations: essential bit and a 7-bit index).
        int ipmaVersion = file.get(ipma + 8);
        int ipmaFlags = file.getInt(ipma + 8) & 0xFFFFFF;
        if (ipmaVersion != 0 || (ipmaFlags & 1) != 0 || existing + properties.size() > 127) {
            throw new IllegalStateException("an ipma of version " + ipmaVersion + ", flags " + ipmaFlags + ": not what heif-enc writes");
        }
        int entries = file.getInt(ipma + 12);
        int p = ipma + 16;
        int insertAt = -1;
        for (int i = 0; i < entries; i++) {
            int item = Short.toUnsignedInt(file.getShort(p));
            int count = Byte.toUnsignedInt(file.get(p + 2));
            if (item == primary) {
                file.put(p + 2, (byte) (count + properties.size()));
                insertAt = p + 3 + count;
            }
            p += 3 + count;
        }
        if (insertAt < 0) {
            throw new IllegalStateException("the primary item " + primary + " has no ipma entry");
        }
        shiftIloc(file, find(file, children, metaEnd, "iloc"), metaEnd, grown);
        file.putInt(meta, file.getInt(meta) + grown);
        file.putInt(iprp, file.getInt(iprp) + grown);
        file.putInt(ipco, file.getInt(ipco) + propertyBytes);
        file.putInt(ipma, file.getInt(ipma) + associationBytes);

        ByteArrayOutputStream out = new ByteArrayOutputStream(heif.length + grown);
        byte[] bytes = file.array();
        if (ipma < ipco) {
            throw new IllegalStateException("ipma before ipco: not what heif-enc writes");
        }
        out.write(bytes, 0, ipcoEnd);
        properties.forEach(out::writeBytes);
        out.write(bytes, ipcoEnd, insertAt - ipcoEnd);
        for (int i = 0; i < properties.size(); i++) {
            out.write(0x80 | (existing + 1 + i));
        }
        out.write(bytes, insertAt, bytes.length - insertAt);
        return out.toByteArray();
    }

    /**
     * The HEIF with its primary image's {@code ispe} (declared size) replaced: a decompression bomb's header over small
     * data. heif-enc writes one {@code ispe} per image; this file has one image.
     */
    public static byte[] withDeclaredSize(byte[] heif, int width, int height) {
        byte[] copy = heif.clone();
        ByteBuffer file = ByteBuffer.wrap(copy);
        for (int p = 4; p + 16 <= copy.length; p++) {
            if (copy[p] == 'i' && copy[p + 1] == 's' && copy[p + 2] == 'p' && copy[p + 3] == 'e') {
                file.putInt(p + 8, width);
                file.putInt(p + 12, height);
                return copy;
            }
        }
        throw new IllegalStateException("no ispe box");
    }

    /** Moves by {@code delta} every {@code iloc} extent stored in the file (construction method 0) at or past {@code from}. */
    private static void shiftIloc(ByteBuffer file, int iloc, int from, int delta) {
        int version = file.get(iloc + 8);
        int p = iloc + 12;
        int offsetSize = (file.get(p) >> 4) & 0xF;
        int lengthSize = file.get(p) & 0xF;
        int baseOffsetSize = (file.get(p + 1) >> 4) & 0xF;
        int indexSize = version == 1 || version == 2 ? file.get(p + 1) & 0xF : 0;
        p += 2;
        int items;
        if (version < 2) {
            items = Short.toUnsignedInt(file.getShort(p));
            p += 2;
        } else {
            items = file.getInt(p);
            p += 4;
        }
        for (int i = 0; i < items; i++) {
            p += version < 2 ? 2 : 4;
            int method = 0;
            if (version == 1 || version == 2) {
                method = file.getShort(p) & 0xF;
                p += 2;
            }
            p += 2;
            int base = p;
            long baseOffset = read(file, p, baseOffsetSize);
            p += baseOffsetSize;
            int extents = Short.toUnsignedInt(file.getShort(p));
            p += 2;
            if (method == 0 && baseOffsetSize > 0 && baseOffset >= from) {
                write(file, base, baseOffsetSize, baseOffset + delta);
            }
            for (int e = 0; e < extents; e++) {
                p += indexSize;
                long offset = read(file, p, offsetSize);
                if (method == 0 && baseOffset == 0 && offset >= from) {
                    write(file, p, offsetSize, offset + delta);
                }
                p += offsetSize + lengthSize;
            }
        }
    }

    private static long read(ByteBuffer file, int at, int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = (value << 8) | Byte.toUnsignedInt(file.get(at + i));
        }
        return value;
    }

    private static void write(ByteBuffer file, int at, int size, long value) {
        for (int i = size - 1; i >= 0; i--) {
            file.put(at + i, (byte) value);
            value >>>= 8;
        }
    }

    /** The first box of {@code type} among the boxes between {@code from} and {@code to}. */
    private static int find(ByteBuffer file, int from, int to, String type) {
        for (int p = from; p + 8 <= to; ) {
            int size = file.getInt(p);
            String name = new String(file.array(), p + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (name.equals(type)) {
                return p;
            }
            if (size < 8) {
                break;
            }
            p += size;
        }
        throw new IllegalStateException("no " + type + " box");
    }

    private static byte[] irot(int quarterTurnsAnticlockwise) {
        return new byte[] {0, 0, 0, 9, 'i', 'r', 'o', 't', (byte) quarterTurnsAnticlockwise};
    }

    private static byte[] imir(int axis) {
        return new byte[] {0, 0, 0, 9, 'i', 'm', 'i', 'r', (byte) axis};
    }
}
