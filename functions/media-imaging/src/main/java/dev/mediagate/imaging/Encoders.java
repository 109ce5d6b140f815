package dev.mediagate.imaging;

import dev.mediagate.imaging.Resampler.Pixels;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Variants are written from bare pixels with no metadata: nothing of the source's EXIF, GPS, XMP, IPTC or comments survives. */
final class Encoders {

    private Encoders() {
    }

    /** Baseline JPEG (JFIF header only) of 3-channel BGR pixels. */
    static byte[] jpeg(Pixels bgr, int quality) {
        BufferedImage image = new BufferedImage(bgr.width(), bgr.height(), BufferedImage.TYPE_3BYTE_BGR);
        System.arraycopy(bgr.data(), 0, ((DataBufferByte) image.getRaster().getDataBuffer()).getData(), 0, bgr.data().length);
        return Jpeg.encode(image, quality);
    }

    /** PNG with alpha of 4-channel premultiplied ABGR pixels. */
    static byte[] png(Pixels premultipliedAbgr) {
        BufferedImage image = new BufferedImage(premultipliedAbgr.width(), premultipliedAbgr.height(), BufferedImage.TYPE_4BYTE_ABGR);
        byte[] in = premultipliedAbgr.data();
        byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < in.length; i += 4) {
            int a = in[i] & 0xFF;
            out[i] = (byte) a;
            for (int c = 1; c < 4; c++) {
                out[i + c] = a == 0 ? 0 : (byte) Math.min(255, ((in[i + c] & 0xFF) * 255 + a / 2) / a);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
        return bytes.toByteArray();
    }

    /** Flattens premultiplied alpha onto white: placeholders are always small JPEGs. */
    static Pixels onWhite(Pixels pixels) {
        if (pixels.channels() == 3) {
            return pixels;
        }
        byte[] in = pixels.data();
        byte[] out = new byte[pixels.width() * pixels.height() * 3];
        for (int i = 0, q = 0; i < in.length; i += 4) {
            int transparent = 255 - (in[i] & 0xFF);
            for (int c = 1; c < 4; c++) {
                out[q++] = (byte) Math.min(255, (in[i + c] & 0xFF) + transparent);
            }
        }
        return new Pixels(out, pixels.width(), pixels.height(), 3);
    }
}
