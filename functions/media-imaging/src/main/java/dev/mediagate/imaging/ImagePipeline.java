package dev.mediagate.imaging;

import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.MediaOutcome.Alternate;
import dev.mediagate.imaging.MediaOutcome.Image;
import dev.mediagate.imaging.MediaOutcome.Rejected;
import dev.mediagate.imaging.MediaOutcome.Variant;
import dev.mediagate.imaging.Vips.Format;
import dev.mediagate.imaging.Vips.Header;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Uploaded bytes in, variants out, on libvips: sniff the real format, read the header in Java and refuse oversized
 * sources before any native code sees the bytes (libvips' own header reading checks again), then one libvips thumbnail per variant (shrink-on-load, upright by EXIF
 * orientation, colour-managed to sRGB, never upscaled), encoded without any metadata as JPEG (PNG when transparent)
 * and in each of {@code VARIANT_FORMATS}. A bad file becomes a {@link Rejected} outcome; only the machine's own faults
 * escape as exceptions.
 */
public final class ImagePipeline {

    static final int PLACEHOLDER_MAX_SIDE = 24;
    static final int PLACEHOLDER_MAX_URI_BYTES = 1024;
    private static final String PLACEHOLDER_PREFIX = "data:image/jpeg;base64,";

    private final ResizeConfig config;
    private final Vips vips;
    private final EncoderSettings encoders;

    public ImagePipeline(ResizeConfig config, Vips vips) {
        this.config = config;
        this.vips = vips;
        this.encoders = EncoderSettings.forJpegQuality(config.jpegQuality());
    }

    public MediaOutcome process(byte[] bytes, FileType declared) {
        Optional<FileType> sniffed = FormatSniffer.sniff(bytes);
        if (sniffed.isEmpty()) {
            return declared.isImage()
                    ? new Rejected(RejectionReason.NOT_AN_IMAGE, "the bytes are not in any image format")
                    : new Rejected(RejectionReason.TYPE_MISMATCH, "the bytes are not " + declared.mimeType());
        }
        if (sniffed.get() != declared) {
            return new Rejected(RejectionReason.TYPE_MISMATCH,
                    "declared " + declared.mimeType() + " but the bytes are " + sniffed.get().mimeType());
        }
        if (!declared.isImage()) {
            return new MediaOutcome.Document(declared);
        }
        try {
            return image(bytes, declared);
        } catch (ImageRejectedException e) {
            return new Rejected(e.reason(), e.getMessage());
        }
    }

    private Image image(byte[] bytes, FileType type) throws ImageRejectedException {
        HeaderReader.Size declared = HeaderReader.read(bytes, type).orElseThrow(() ->
                new ImageRejectedException(RejectionReason.CORRUPT, "unreadable " + type.mimeType() + " header"));
        if (declared.width() * declared.height() > config.maxSourcePixels()) {
            throw new ImageRejectedException(RejectionReason.TOO_MANY_PIXELS, declared.width() + "x" + declared.height()
                    + " is more than " + config.maxSourcePixels() + " pixels");
        }
        try (Vips.Source source = vips.source(bytes)) {
            Header header = header(source, type);
            boolean swap = header.orientation() >= 5;
            int uprightWidth = swap ? header.height() : header.width();
            int uprightHeight = swap ? header.width() : header.height();
            int frames = type == FileType.GIF || type == FileType.WEBP ? header.pages() : 1;

            List<VariantSpec> largestFirst = new ArrayList<>(config.variants());
            largestFirst.sort(Comparator.comparingLong((VariantSpec v) -> (long) v.width() * v.height()).reversed());
            Map<VariantSpec, Variant> made = new HashMap<>();
            String placeholder;
            Vips.Image previous = null;
            try {
                for (VariantSpec spec : largestFirst) {
                    Vips.Image image = render(source, spec, uprightWidth, uprightHeight, previous);
                    if (previous != null) {
                        previous.close();
                    }
                    previous = image;
                    made.put(spec, encode(spec.name(), image));
                }
                placeholder = placeholder(previous);
            } finally {
                if (previous != null) {
                    previous.close();
                }
            }
            List<Variant> variants = new ArrayList<>();
            for (VariantSpec spec : config.variants()) {
                variants.add(made.get(spec));
            }
            return new Image(type, uprightWidth, uprightHeight, frames, variants, placeholder);
        } catch (Vips.Failure e) {
            throw new ImageRejectedException(RejectionReason.CORRUPT, "the " + type.mimeType() + " data cannot be decoded: "
                    + e.getMessage());
        }
    }

    private Header header(Vips.Source source, FileType type) throws ImageRejectedException {
        Header header;
        try {
            header = vips.header(source);
        } catch (Vips.Failure e) {
            throw new ImageRejectedException(RejectionReason.CORRUPT, "unreadable " + type.mimeType() + " header: " + e.getMessage());
        }
        if (header.width() <= 0 || header.height() <= 0) {
            throw new ImageRejectedException(RejectionReason.CORRUPT, "the header declares no pixels");
        }
        if ((long) header.width() * header.height() > config.maxSourcePixels()) {
            throw new ImageRejectedException(RejectionReason.TOO_MANY_PIXELS, header.width() + "x" + header.height()
                    + " is more than " + config.maxSourcePixels() + " pixels");
        }
        return header;
    }

    /**
     * One variant's pixels, upright and in sRGB. A fit variant is reduced from the previous (larger, fit) one when that
     * still leaves 2x: the same picture for far less work. A cover variant's box is first shrunk to the largest crop of
     * its shape the source holds, so a small source is cropped, never enlarged.
     */
    private Vips.Image render(Vips.Source source, VariantSpec spec, int uprightWidth, int uprightHeight, Vips.Image previous)
            throws Vips.Failure {
        if (spec.cover()) {
            double aspect = (double) spec.width() / spec.height();
            int cropWidth = Math.min(uprightWidth, (int) Math.round(uprightHeight * aspect));
            int cropHeight = Math.min(uprightHeight, (int) Math.round(uprightWidth / aspect));
            double scale = Math.min(1.0, (double) spec.width() / Math.max(1, cropWidth));
            return vips.thumbnail(source, Math.max(1, Math.min(spec.width(), (int) Math.round(cropWidth * scale))),
                    Math.max(1, Math.min(spec.height(), (int) Math.round(cropHeight * scale))), true);
        }
        double scale = Math.min(1.0, Math.min((double) spec.width() / uprightWidth, (double) spec.height() / uprightHeight));
        if (previous != null && !previousWasCover(previous, uprightWidth, uprightHeight)
                && previous.width() >= 2 * uprightWidth * scale && previous.height() >= 2 * uprightHeight * scale) {
            return vips.thumbnail(previous, spec.width(), spec.height());
        }
        return vips.thumbnail(source, spec.width(), spec.height(), false);
    }

    /** Whether an earlier variant has another shape than the source (a crop), so it cannot stand in for it. */
    private static boolean previousWasCover(Vips.Image previous, int uprightWidth, int uprightHeight) {
        double ours = (double) uprightWidth / uprightHeight;
        double theirs = (double) previous.width() / previous.height();
        return Math.abs(ours - theirs) > 0.02 * ours;
    }

    private Variant encode(String name, Vips.Image image) throws Vips.Failure {
        boolean translucent = vips.translucent(image);
        Vips.Image pixels = image;
        if (!translucent && (image.bands() == 2 || image.bands() == 4)) {
            pixels = vips.withoutAlpha(image);
        }
        try {
            byte[] main = vips.save(pixels, translucent ? Format.PNG : Format.JPEG, config.jpegQuality(), 0);
            List<Alternate> alternates = new ArrayList<>();
            for (VariantFormat format : VariantFormat.values()) {
                if (config.formats().contains(format)) {
                    alternates.add(new Alternate(format, format == VariantFormat.WEBP
                            ? vips.save(pixels, Format.WEBP, encoders.webpQuality(), encoders.webpEffort())
                            : vips.save(pixels, Format.AVIF, encoders.avifQuality(), encoders.avifEffort())));
                }
            }
            return new Variant(name, main, translucent ? FileType.PNG : FileType.JPEG, pixels.width(), pixels.height(), alternates);
        } finally {
            if (pixels != image) {
                pixels.close();
            }
        }
    }

    /** A tiny blurred preview, as a JPEG data URI of at most {@value #PLACEHOLDER_MAX_URI_BYTES} characters, on white. */
    private String placeholder(Vips.Image smallest) throws Vips.Failure {
        try (Vips.Image tiny = vips.thumbnail(smallest, PLACEHOLDER_MAX_SIDE, PLACEHOLDER_MAX_SIDE)) {
            boolean alpha = tiny.bands() == 2 || tiny.bands() == 4;
            try (Vips.Image flat = alpha ? vips.onWhite(tiny) : null) {
                Vips.Image pixels = flat != null ? flat : tiny;
                for (int quality = 50; ; quality -= 10) {
                    String uri = PLACEHOLDER_PREFIX + Base64.getEncoder().encodeToString(vips.save(pixels, Format.JPEG, quality, 0));
                    if (uri.length() <= PLACEHOLDER_MAX_URI_BYTES || quality <= 10) {
                        return uri;
                    }
                }
            }
        }
    }
}
