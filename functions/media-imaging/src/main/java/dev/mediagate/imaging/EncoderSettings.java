package dev.mediagate.imaging;

/**
 * Quality and effort of the extra formats, derived from {@code JPEG_QUALITY}: WebP and AVIF at the quality that gives
 * the same structural similarity to the resized pixels as the JPEG does (README, "Image variants", how it was chosen),
 * at efforts that keep the resizer within its time budget.
 */
record EncoderSettings(int webpQuality, int webpEffort, int avifQuality, int avifEffort) {

    static EncoderSettings forJpegQuality(int jpegQuality) {
        return new EncoderSettings(jpegQuality, 4, Math.max(1, jpegQuality - 30), 2);
    }
}
