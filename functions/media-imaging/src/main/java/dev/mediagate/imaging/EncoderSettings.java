package dev.mediagate.imaging;

/**
 * Quality and effort of the extra formats, derived from {@code JPEG_QUALITY}. WebP at the JPEG's quality number and
 * effort 2 (docs/image-variants.md: how it was chosen against the JPEG by SSIM and bytes; efforts 0–1 fall apart on
 * some photos, 3–4 double the time for no visible gain); AVIF 30 below it (AV1's scale gives the same look lower) at
 * effort 2, which keeps a 24 MP photo's set within a few seconds on one core.
 */
record EncoderSettings(int webpQuality, int webpEffort, int avifQuality, int avifEffort) {

    static EncoderSettings forJpegQuality(int jpegQuality) {
        return new EncoderSettings(jpegQuality, 2, Math.max(1, jpegQuality - 30), 2);
    }
}
