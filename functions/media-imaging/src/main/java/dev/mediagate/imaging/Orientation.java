package dev.mediagate.imaging;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import dev.mediagate.imaging.Resampler.Pixels;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/** EXIF orientation (1–8): read with metadata-extractor, applied to the small variants rather than the big source. */
final class Orientation {

    private Orientation() {
    }

    /** The EXIF orientation, or 1 when absent, unreadable or out of range. */
    static int read(byte[] source) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(source), source.length);
            for (ExifIFD0Directory directory : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
                Integer value = directory.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
                if (value != null && value >= 1 && value <= 8) {
                    return value;
                }
            }
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            // metadata that cannot be parsed never blocks the picture: it is shown as stored
        }
        return 1;
    }

    /** Orientations 5–8 turn the picture a quarter: width and height swap. */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5;
    }

    /** The stored pixels turned and flipped so that they display upright. */
    static Pixels apply(Pixels in, int orientation) {
        if (orientation == 1) {
            return in;
        }
        int w = in.width();
        int h = in.height();
        int ch = in.channels();
        int outW = swapsAxes(orientation) ? h : w;
        int outH = swapsAxes(orientation) ? w : h;
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        int q = 0;
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; }
                }
                System.arraycopy(src, (sy * w + sx) * ch, out, q, ch);
                q += ch;
            }
        }
        return new Pixels(out, outW, outH, ch);
    }
}
