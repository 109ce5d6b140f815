package dev.mediagate.imaging;

import static dev.mediagate.imaging.VipsOperations.BITDEPTH;
import static dev.mediagate.imaging.VipsOperations.COMPRESSION;
import static dev.mediagate.imaging.VipsOperations.EFFORT;
import static dev.mediagate.imaging.VipsOperations.HEIF_COMPRESSION_AV1;
import static dev.mediagate.imaging.VipsOperations.KEEP;
import static dev.mediagate.imaging.VipsOperations.KEEP_NONE;
import static dev.mediagate.imaging.VipsOperations.OPTIMIZE_CODING;
import static dev.mediagate.imaging.VipsOperations.Q;

import dev.mediagate.imaging.VipsOperations.Format;
import java.util.List;

/**
 * How each variant is encoded, derived from {@code JPEG_QUALITY}. Every encoding keeps no metadata at all (no EXIF,
 * GPS, XMP, ICC or comments) and 8-bit pixels. JPEG with optimised Huffman tables (mozjpeg); PNG, for pictures with
 * transparency, at 8 bits; WebP at the JPEG's quality number and effort 2 (docs/image-variants.md: how it was chosen
 * against the JPEG by SSIM and bytes; efforts 0–1 fall apart on some photos, 3–4 double the time for no visible gain);
 * AVIF (AV1) 30 below it (AV1's scale gives the same look lower) at effort 2, which keeps a 24 MP photo's set within a
 * few seconds on one core.
 */
record EncoderPolicy(int jpegQuality, int webpQuality, int webpEffort, int avifQuality, int avifEffort) {

    /** A format and the options its libvips saver is called with. */
    record Encoding(Format format, List<VipsOption.Value<?>> options) {

        Encoding {
            options = List.copyOf(options);
        }
    }

    static EncoderPolicy forJpegQuality(int jpegQuality) {
        return new EncoderPolicy(jpegQuality, jpegQuality, 2, Math.max(1, jpegQuality - 30), 2);
    }

    /** A variant's main encoding: PNG when any pixel is transparent, JPEG otherwise. */
    Encoding main(boolean translucent) {
        return translucent ? png() : jpeg(jpegQuality);
    }

    /** A variant's extra encoding in one of {@code VARIANT_FORMATS}. */
    Encoding alternate(VariantFormat format) {
        return switch (format) {
            case WEBP -> new Encoding(Format.WEBP, List.of(Q.of(webpQuality), KEEP.of(KEEP_NONE), EFFORT.of(webpEffort)));
            case AVIF -> new Encoding(Format.AVIF, List.of(Q.of(avifQuality), KEEP.of(KEEP_NONE),
                    COMPRESSION.of(HEIF_COMPRESSION_AV1), EFFORT.of(avifEffort)));
        };
    }

    /** The tiny placeholder's JPEG, at a quality the caller lowers until it fits a data URI's budget. */
    Encoding placeholder(int quality) {
        return jpeg(quality);
    }

    /** A GIF, only ever made as an input for priming. */
    static Encoding gif() {
        return new Encoding(Format.GIF, List.of(KEEP.of(KEEP_NONE)));
    }

    private static Encoding jpeg(int quality) {
        return new Encoding(Format.JPEG, List.of(Q.of(quality), KEEP.of(KEEP_NONE), OPTIMIZE_CODING.of(true)));
    }

    private static Encoding png() {
        return new Encoding(Format.PNG, List.of(KEEP.of(KEEP_NONE), BITDEPTH.of(8)));
    }
}
