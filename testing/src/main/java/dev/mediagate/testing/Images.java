package dev.mediagate.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Test pictures made on the fly (and the few small committed ones under {@code images/}). */
public final class Images {

    private Images() {
    }

    /** 80×60 upright marker: red top-left, blue top-right, green bottom-left, white bottom-right. */
    public static BufferedImage quadrants(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height / 2);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height / 2);
        g.setColor(Color.GREEN);
        g.fillRect(0, height / 2, width / 2, height - height / 2);
        g.setColor(Color.WHITE);
        g.fillRect(width / 2, height / 2, width - width / 2, height - height / 2);
        g.dispose();
        return image;
    }

    /** A JPEG from the JDK's own writer: test pictures are independent of the engine under test. */
    public static byte[] jpeg(BufferedImage image, int quality, boolean progressive) {
        ImageWriter jpegWriter = ImageIO.getImageWritersByFormatName("jpeg").next();
        JPEGImageWriteParam settings = new JPEGImageWriteParam(null);
        settings.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        settings.setCompressionQuality(quality / 100f);
        settings.setProgressiveMode(progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream target = new MemoryCacheImageOutputStream(bytes)) {
            jpegWriter.setOutput(target);
            jpegWriter.write(null, new IIOImage(image, null, null), settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            jpegWriter.dispose();
        }
        return bytes.toByteArray();
    }

    public static byte[] jpeg(BufferedImage image) {
        return jpeg(image, 90, false);
    }

    public static byte[] png(BufferedImage image) {
        return write(image, "png");
    }

    public static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static BufferedImage read(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalStateException("not a readable image");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] resource(String name) {
        try (InputStream in = Images.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test image " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JPEG with an EXIF APP1 segment (orientation, optional GPS and padding), an XMP packet and a comment after SOI. */
    public static byte[] withMetadata(byte[] jpeg, int orientation, boolean gps, int paddingBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        writeSegment(out, 0xE1, exif(orientation, gps, paddingBytes));
        byte[] xmp = ("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf="
                + "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
                + "<dc:creator>Secret Photographer</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>").getBytes(StandardCharsets.UTF_8);
        writeSegment(out, 0xE1, xmp);
        writeSegment(out, 0xFE, "secret comment".getBytes(StandardCharsets.US_ASCII));
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** The JPEG with one more segment right after SOI (an ICC profile, an Adobe marker, garbage). */
    public static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        writeSegment(out, marker, payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static void writeSegment(ByteArrayOutputStream out, int marker, byte[] payload) {
        out.write(0xFF);
        out.write(marker);
        out.write((payload.length + 2) >> 8);
        out.write((payload.length + 2) & 0xFF);
        out.write(payload, 0, payload.length);
    }

    /** Big-endian TIFF: IFD0 {Orientation, ImageDescription padding?, GPS pointer?}, GPS IFD {LatitudeRef, Latitude}. */
    private static byte[] exif(int orientation, boolean gps, int paddingBytes) {
        int entries = 1 + (gps ? 1 : 0) + (paddingBytes > 0 ? 1 : 0);
        int ifd0Size = 2 + entries * 12 + 4;
        int gpsOffset = 8 + ifd0Size;
        int gpsSize = gps ? 2 + 2 * 12 + 4 : 0;
        int latitudeOffset = gpsOffset + gpsSize;
        int paddingOffset = latitudeOffset + (gps ? 24 : 0);
        ByteBuffer tiff = ByteBuffer.allocate(paddingOffset + paddingBytes);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
        tiff.putShort((short) entries);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        if (paddingBytes > 0) {
            tiff.putShort((short) 0x010E).putShort((short) 2).putInt(paddingBytes).putInt(paddingOffset);
        }
        if (gps) {
            tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(gpsOffset);
        }
        tiff.putInt(0);
        if (gps) {
            tiff.putShort((short) 2);
            tiff.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
            tiff.putShort((short) 2).putShort((short) 5).putInt(3).putInt(latitudeOffset);
            tiff.putInt(0);
            tiff.putInt(48).putInt(1).putInt(51).putInt(1).putInt(2400).putInt(100);
        }
        for (int i = 0; i < paddingBytes - 1; i++) {
            tiff.put((byte) 'x');
        }
        if (paddingBytes > 0) {
            tiff.put((byte) 0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(tiff.array());
        return out.toByteArray();
    }

    /** A PNG whose header declares {@code width × height} but holds almost no data: a decompression bomb's calling card. */
    public static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** An animated GIF (looping forever) from the JDK's own writer, each frame shown for its delay in milliseconds. */
    public static byte[] animatedGif(List<BufferedImage> frames, List<Integer> delaysMs) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames.size(); i++) {
                BufferedImage frame = frames.get(i);
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", Integer.toString(delaysMs.get(i) / 10));
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                if (i == 0) {
                    IIOMetadataNode extensions = new IIOMetadataNode("ApplicationExtensions");
                    IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                    loop.setAttribute("applicationID", "NETSCAPE");
                    loop.setAttribute("authenticationCode", "2.0");
                    loop.setUserObject(new byte[] {1, 0, 0});
                    extensions.appendChild(loop);
                    root.appendChild(extensions);
                }
                metadata.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
            stream.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
