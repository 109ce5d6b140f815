package dev.mediagate.imaging;

import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.FileType;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.imaging.MediaOutcome.Alternate;
import dev.mediagate.imaging.MediaOutcome.Image;
import dev.mediagate.imaging.MediaOutcome.Rejected;
import dev.mediagate.imaging.MediaOutcome.Variant;
import dev.mediagate.imaging.VipsOperations.Failure;
import dev.mediagate.imaging.VipsOperations.Header;
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
    private final VipsOperations vips;
    private final EncoderPolicy encoders;
    private final Optional<Libheif> heif;

    public ImagePipeline(ResizeConfig config, Libvips libvips) {
        this(config, libvips, Optional.empty());
    }

    /** With the HEIC layer's libheif, when it is attached: HEIC and HEIF uploads are decoded by it, then made as any other. */
    public ImagePipeline(ResizeConfig config, Libvips libvips, Optional<Libheif> heif) {
        this.config = config;
        this.vips = libvips.operations();
        this.encoders = EncoderPolicy.forJpegQuality(config.jpegQuality());
        this.heif = heif;
    }

    /** The resizer's pipeline as configured: its settings, libvips, and libheif when {@code LIBHEIF_PATH} names it. */
    public static ImagePipeline from(Settings settings) {
        return new ImagePipeline(ResizeConfig.from(settings), Libvips.from(settings), Libheif.from(settings));
    }

    /** Whether HEIC and HEIF uploads can be read (the HEIC layer is loaded). */
    public boolean readsHeif() {
        return heif.isPresent();
    }

    /** The configuration part of the recipe of every variant this pipeline makes. */
    public dev.mediagate.core.files.Recipe.Config recipeConfig() {
        return config.recipeConfig();
    }

    /** Bytes on the heap (tests, tools): copied to native memory first. */
    public MediaOutcome process(byte[] bytes, FileType declared) {
        return process(bytes, declared, null);
    }

    /** As {@link #process(byte[], FileType)}, the cover variants cut around {@code focus} (null: none set). */
    public MediaOutcome process(byte[] bytes, FileType declared, Recipe.Focus focus) {
        try (NativeBytes source = NativeBytes.copyOf(bytes)) {
            return process(source, declared, focus);
        }
    }

    /** A file already in native memory (the resizer streams an original there): nothing of it is copied to the heap. */
    public MediaOutcome process(NativeBytes bytes, FileType declared) {
        return process(bytes, declared, null);
    }

    /**
     * As {@link #process(NativeBytes, FileType)}, with the file's focal point ({@code PATCH /files/{id}}; null when none
     * is set): every cover variant is then cut around it, whatever its crop mode, and always contains it.
     */
    public MediaOutcome process(NativeBytes bytes, FileType declared, Recipe.Focus focus) {
        Optional<FileType> sniffed = FormatSniffer.sniff(bytes.prefix(FormatSniffer.PREFIX_BYTES));
        if (sniffed.isEmpty()) {
            return declared.isImage()
                    ? new Rejected(RejectionReason.NOT_AN_IMAGE, "the bytes are not in any image format")
                    : new Rejected(RejectionReason.TYPE_MISMATCH, "the bytes are not " + declared.mimeType());
        }
        if (!FormatSniffer.matches(declared, sniffed.get())) {
            return new Rejected(RejectionReason.TYPE_MISMATCH,
                    "declared " + declared.mimeType() + " but the bytes are " + sniffed.get().mimeType());
        }
        if (!declared.isImage()) {
            return new MediaOutcome.Document(declared);
        }
        try {
            if (declared == FileType.HEIC || declared == FileType.HEIF) {
                return heifImage(bytes, declared, focus);
            }
            return image(bytes, declared, focus, true);
        } catch (ImageRejectedException e) {
            return new Rejected(e.reason(), e.getMessage());
        }
    }

    /**
     * A HEIC or HEIF: libheif decodes its primary image (upright by its irot/imir transforms, its size checked against
     * {@code MAX_SOURCE_PIXELS} before any HEVC data is decoded), libvips gets the pixels and the ICC profile as a
     * lossless intermediate, and the variants are made from that as from any upload. Its EXIF orientation is not
     * applied on top: in HEIF the transforms are the image's orientation (libheif's documentation; iPhones write both,
     * agreeing), and the EXIF block is metadata, stripped with the rest.
     */
    private Image heifImage(NativeBytes source, FileType type, Recipe.Focus focus) throws ImageRejectedException {
        if (heif.isEmpty()) {
            throw new ImageRejectedException(RejectionReason.UNSUPPORTED_FORMAT,
                    type.mimeType() + " needs the HEIC layer (HeicSupport=true), which this resizer does not have");
        }
        try (NativeBytes decoded = heif.get().decode(source, config.maxSourcePixels(), vips::losslessCopy)) {
            return image(decoded, type, focus, false);
        } catch (Failure e) {
            throw new ImageRejectedException(RejectionReason.CORRUPT, "the decoded " + type.mimeType() + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * Runs synthetic pictures through the whole pipeline before a SnapStart snapshot: a photo-sized JPEG (shrink-on-load,
     * a variant reduced from the larger one), a PNG with transparency (the PNG and placeholder-on-white paths), a WebP
     * and a GIF, so that libvips, every decoder and encoder it will use (AVIF's too) and the native call stubs are
     * initialised in the snapshot rather than on a user's first upload. Nothing is kept from them (libvips' operation
     * cache is off); any outcome other than variants throws, so a version that cannot process an image is never
     * published.
     */
    public void prime() {
        try (VipsOperations.Image photo = vips.fromPixels(SyntheticPictures.gradient(1200, 900, 3), 1200, 900, 3);
                VipsOperations.Image translucent = vips.fromPixels(SyntheticPictures.gradient(256, 192, 4), 256, 192, 4)) {
            EncoderPolicy inputs = EncoderPolicy.forJpegQuality(90);
            expectImage(vips.save(photo, inputs.main(false)), FileType.JPEG);
            expectImage(vips.save(translucent, inputs.main(true)), FileType.PNG);
            expectImage(vips.save(translucent, inputs.alternate(VariantFormat.WEBP)), FileType.WEBP);
            expectImage(vips.save(translucent, EncoderPolicy.gif()), FileType.GIF);
            for (VariantFormat format : VariantFormat.values()) {
                vips.save(translucent, encoders.alternate(format));
            }
        } catch (Failure e) {
            throw new IllegalStateException("priming: libvips failed on a synthetic picture: " + e.getMessage(), e);
        }
    }

    private void expectImage(byte[] bytes, FileType type) {
        MediaOutcome outcome = process(bytes, type);
        if (!(outcome instanceof Image)) {
            throw new IllegalStateException("priming: a synthetic " + type.mimeType() + " ended as " + outcome);
        }
    }

    /**
     * Variants of {@code source}, an upload of {@code type}; {@code checkHeader} false for a HEIF's decoded intermediate,
     * whose size libheif has already checked.
     */
    private Image image(NativeBytes source, FileType type, Recipe.Focus focus, boolean checkHeader) throws ImageRejectedException {
        if (checkHeader) {
            HeaderReader.Size declared = HeaderReader.read(source.view(), type).orElseThrow(() ->
                    new ImageRejectedException(RejectionReason.CORRUPT, "unreadable " + type.mimeType() + " header"));
            if (declared.width() * declared.height() > config.maxSourcePixels()) {
                throw new ImageRejectedException(RejectionReason.TOO_MANY_PIXELS, declared.width() + "x" + declared.height()
                        + " is more than " + config.maxSourcePixels() + " pixels");
            }
        }
        try {
            Header header = header(source, type);
            boolean swap = header.orientation() >= 5;
            int uprightWidth = swap ? header.height() : header.width();
            int uprightHeight = swap ? header.width() : header.height();
            int frames = type == FileType.GIF || type == FileType.WEBP ? header.pages() : 1;
            if ((long) header.width() * header.height() * frames > config.maxSourcePixels()) {
                // An animation is decoded whole for its animated alternates: every frame counts.
                throw new ImageRejectedException(RejectionReason.TOO_MANY_PIXELS, header.width() + "x" + header.height() + " × "
                        + frames + " frames is more than " + config.maxSourcePixels() + " pixels");
            }
            boolean animatedAlternates = frames > 1 && config.formats().contains(VariantFormat.WEBP);

            List<VariantSpec> largestFirst = new ArrayList<>(config.variants());
            largestFirst.sort(Comparator.comparingLong((VariantSpec v) -> (long) v.width() * v.height()).reversed());
            Map<VariantSpec, Variant> made = new HashMap<>();
            Summary summary;
            // The smallest whole-picture (fit) variant so far: the next fit variant may be reduced from it, and the
            // placeholder and summaries are made from the last one. A cover crop is closed once encoded: it shows only
            // part of the picture.
            VipsOperations.Image smallestWhole = null;
            try {
                for (VariantSpec spec : largestFirst) {
                    VipsOperations.Image image = render(source, spec, uprightWidth, uprightHeight, smallestWhole, focus);
                    try (VipsOperations.Image moving = animatedAlternates
                            ? renderAnimation(source, spec, uprightWidth, uprightHeight, focus) : null) {
                        if (spec.cover()) {
                            try (image) {
                                made.put(spec, encode(spec.name(), image, moving));
                            }
                            continue;
                        }
                        if (smallestWhole != null) {
                            smallestWhole.close();
                        }
                        smallestWhole = image;
                        made.put(spec, encode(spec.name(), image, moving));
                    }
                }
                if (smallestWhole == null) {
                    // Only cover variants: the summaries still describe the whole picture.
                    smallestWhole = vips.thumbnail(source, ThumbHash.MAX_SIDE, ThumbHash.MAX_SIDE, false);
                }
                summary = summary(smallestWhole);
            } finally {
                if (smallestWhole != null) {
                    smallestWhole.close();
                }
            }
            List<Variant> variants = new ArrayList<>();
            for (VariantSpec spec : config.variants()) {
                variants.add(made.get(spec));
            }
            return new Image(type, uprightWidth, uprightHeight, frames, frames > 1 ? header.durationMs() : 0, variants,
                    summary.placeholder(), summary.thumbhash(), summary.dominantColor());
        } catch (Failure e) {
            throw new ImageRejectedException(RejectionReason.CORRUPT, "the " + type.mimeType() + " data cannot be decoded: "
                    + e.getMessage());
        }
    }

    private Header header(NativeBytes source, FileType type) throws ImageRejectedException {
        Header header;
        try {
            header = vips.header(source);
        } catch (Failure e) {
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
     * its shape the source holds, so a small source is cropped, never enlarged; it is cut around the focus when one is
     * set, else where its crop mode says (libvips' thumbnail does the centre, attention and entropy crops itself).
     */
    private VipsOperations.Image render(NativeBytes source, VariantSpec spec, int uprightWidth, int uprightHeight,
            VipsOperations.Image previous, Recipe.Focus focus) throws Failure {
        if (spec.cover()) {
            double aspect = (double) spec.width() / spec.height();
            int cropWidth = Math.min(uprightWidth, (int) Math.round(uprightHeight * aspect));
            int cropHeight = Math.min(uprightHeight, (int) Math.round(uprightWidth / aspect));
            double scale = Math.min(1.0, (double) spec.width() / Math.max(1, cropWidth));
            int boxWidth = Math.max(1, Math.min(spec.width(), (int) Math.round(cropWidth * scale)));
            int boxHeight = Math.max(1, Math.min(spec.height(), (int) Math.round(cropHeight * scale)));
            if (focus != null) {
                return aroundFocus(source, focus, uprightWidth, uprightHeight, scale, boxWidth, boxHeight);
            }
            return vips.thumbnail(source, boxWidth, boxHeight, switch (spec.crop()) {
                case ATTENTION -> VipsOperations.INTERESTING_ATTENTION;
                case ENTROPY -> VipsOperations.INTERESTING_ENTROPY;
                case CENTRE, NONE -> VipsOperations.INTERESTING_CENTRE;
            });
        }
        double scale = Math.min(1.0, Math.min((double) spec.width() / uprightWidth, (double) spec.height() / uprightHeight));
        if (previous != null && previous.width() >= 2 * uprightWidth * scale && previous.height() >= 2 * uprightHeight * scale) {
            return vips.thumbnail(previous, spec.width(), spec.height());
        }
        return vips.thumbnail(source, spec.width(), spec.height(), false);
    }

    /**
     * The variant's box over every frame of an animated source, for its animated WebP alternate: libvips' thumbnail
     * loads the frames stacked (delays and loop count kept) and sizes each alike; a cover variant then cuts the same
     * area from every frame, around the focus or at the centre, as its still is cut. Null (the alternate stays the
     * still) for an {@code :attention} or {@code :entropy} crop without a focus: libvips' interest finders pick an
     * area per image, not one for a stack of frames, and an alternate framed otherwise than its JPEG would show
     * another picture depending on the browser.
     */
    private VipsOperations.Image renderAnimation(NativeBytes source, VariantSpec spec, int uprightWidth, int uprightHeight,
            Recipe.Focus focus) throws Failure {
        if (!spec.cover()) {
            return vips.thumbnail(source, spec.width(), spec.height(), VipsOperations.INTERESTING_NONE, true);
        }
        if (focus == null && spec.crop() != VariantSpec.Crop.CENTRE) {
            return null;
        }
        double aspect = (double) spec.width() / spec.height();
        int cropWidth = Math.min(uprightWidth, (int) Math.round(uprightHeight * aspect));
        int cropHeight = Math.min(uprightHeight, (int) Math.round(uprightWidth / aspect));
        double scale = Math.min(1.0, (double) spec.width() / Math.max(1, cropWidth));
        int boxWidth = Math.max(1, Math.min(spec.width(), (int) Math.round(cropWidth * scale)));
        int boxHeight = Math.max(1, Math.min(spec.height(), (int) Math.round(cropHeight * scale)));
        int scaledWidth = Math.max(boxWidth, (int) Math.round(uprightWidth * scale));
        int scaledHeight = Math.max(boxHeight, (int) Math.round(uprightHeight * scale));
        Recipe.Focus point = focus != null ? focus : new Recipe.Focus(0.5, 0.5);
        try (VipsOperations.Image stack = vips.thumbnail(source, scaledWidth, scaledHeight, VipsOperations.INTERESTING_NONE, true)) {
            int frameHeight = stack.height() / stack.frames();
            int width = Math.min(boxWidth, stack.width());
            int height = Math.min(boxHeight, frameHeight);
            return vips.cropFrames(stack, centredOn(point.x(), stack.width(), width), centredOn(point.y(), frameHeight, height),
                    width, height);
        }
    }

    /** A variant's encodings; {@code moving} (null for a still) becomes its WebP alternate instead of the still. */
    private Variant encode(String name, VipsOperations.Image image, VipsOperations.Image moving) throws Failure {
        boolean translucent = vips.translucent(image);
        VipsOperations.Image pixels = image;
        if (!translucent && (image.bands() == 2 || image.bands() == 4)) {
            pixels = vips.withoutAlpha(image);
        }
        try {
            byte[] main = vips.save(pixels, encoders.main(translucent));
            List<Alternate> alternates = new ArrayList<>();
            for (VariantFormat format : VariantFormat.values()) {
                if (config.formats().contains(format)) {
                    VipsOperations.Image frames = format == VariantFormat.WEBP && moving != null ? moving : pixels;
                    alternates.add(new Alternate(format, vips.save(frames, encoders.alternate(format)), frames.frames()));
                }
            }
            return new Variant(name, main, translucent ? FileType.PNG : FileType.JPEG, pixels.width(), pixels.height(), alternates);
        } finally {
            if (pixels != image) {
                pixels.close();
            }
        }
    }

    /**
     * The whole picture scaled as the crop needs it, then the box cut with the focus as near its centre as the picture's
     * edges allow: the box lies inside the picture and the focus inside the box, so it is never cropped out.
     */
    private VipsOperations.Image aroundFocus(NativeBytes source, Recipe.Focus focus, int uprightWidth, int uprightHeight,
            double scale, int boxWidth, int boxHeight) throws Failure {
        int scaledWidth = Math.max(boxWidth, (int) Math.round(uprightWidth * scale));
        int scaledHeight = Math.max(boxHeight, (int) Math.round(uprightHeight * scale));
        try (VipsOperations.Image whole = vips.thumbnail(source, scaledWidth, scaledHeight, false)) {
            // libvips rounds its own scale: cut what it made, never past its edges.
            int width = Math.min(boxWidth, whole.width());
            int height = Math.min(boxHeight, whole.height());
            int left = centredOn(focus.x(), whole.width(), width);
            int top = centredOn(focus.y(), whole.height(), height);
            return vips.crop(whole, left, top, width, height);
        }
    }

    /** Where a span of {@code span} pixels starts so that {@code point} (0…1 of {@code total}) is at its centre, clamped. */
    static int centredOn(double point, int total, int span) {
        int start = (int) Math.round(point * total - span / 2.0);
        return Math.max(0, Math.min(total - span, start));
    }

    /** What stands for the picture before a variant loads: the data-URI placeholder, the ThumbHash, the dominant colour. */
    record Summary(String placeholder, String thumbhash, String dominantColor) {
    }

    /**
     * The summaries of the whole picture, from the smallest fit variant already in memory: the placeholder at
     * {@value #PLACEHOLDER_MAX_SIDE} px, ThumbHash and the dominant colour from one copy of at most
     * {@value ThumbHash#MAX_SIDE} px (the reference encoder's size; more pixels change the hash by rounding only).
     */
    private Summary summary(VipsOperations.Image smallestWhole) throws Failure {
        String placeholder = placeholder(smallestWhole);
        try (VipsOperations.Image small = vips.thumbnail(smallestWhole, ThumbHash.MAX_SIDE, ThumbHash.MAX_SIDE)) {
            VipsOperations.Rgba pixels = vips.rgba(small);
            return new Summary(placeholder,
                    Base64.getEncoder().encodeToString(ThumbHash.encode(pixels.width(), pixels.height(), pixels.pixels())),
                    DominantColor.of(pixels.width(), pixels.height(), pixels.pixels()));
        }
    }

    /** A tiny blurred preview, as a JPEG data URI of at most {@value #PLACEHOLDER_MAX_URI_BYTES} characters, on white. */
    private String placeholder(VipsOperations.Image smallest) throws Failure {
        try (VipsOperations.Image tiny = vips.thumbnail(smallest, PLACEHOLDER_MAX_SIDE, PLACEHOLDER_MAX_SIDE)) {
            boolean alpha = tiny.bands() == 2 || tiny.bands() == 4;
            try (VipsOperations.Image flat = alpha ? vips.onWhite(tiny) : null) {
                VipsOperations.Image pixels = flat != null ? flat : tiny;
                for (int quality = 50; ; quality -= 10) {
                    String uri = PLACEHOLDER_PREFIX + Base64.getEncoder().encodeToString(vips.save(pixels, encoders.placeholder(quality)));
                    if (uri.length() <= PLACEHOLDER_MAX_URI_BYTES || quality <= 10) {
                        return uri;
                    }
                }
            }
        }
    }
}
