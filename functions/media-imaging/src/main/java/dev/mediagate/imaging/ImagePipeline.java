package dev.mediagate.imaging;

import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.MediaOutcome.Image;
import dev.mediagate.imaging.MediaOutcome.Rejected;
import dev.mediagate.imaging.MediaOutcome.Variant;
import dev.mediagate.imaging.Resampler.Pixels;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Uploaded bytes in, variants out: sniff the real format, read only the header and refuse oversized sources before any
 * pixel is decoded, decode the first frame, convert to sRGB, downscale each variant, turn it upright (EXIF orientation)
 * and encode it without any metadata. A bad file becomes a {@link Rejected} outcome; only the machine's own faults
 * (memory, a missing plugin) escape as errors.
 */
public final class ImagePipeline {

    static {
        // The disk cache only slows decoding down and writes user data to /tmp.
        ImageIO.setUseCache(false);
        // Fail at init, not on the first upload, when the WebP plugin is missing from the deployment.
        if (!ImageIO.getImageReadersByMIMEType("image/webp").hasNext()) {
            throw new IllegalStateException("the WebP ImageIO plugin is not on the classpath");
        }
    }

    private static final double MIN_REDUCTION_FOR_FAST_DECODE = 1.5;

    private final ResizeConfig config;

    public ImagePipeline(ResizeConfig config) {
        this.config = config;
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
        int orientation = type == FileType.GIF ? 1 : Orientation.read(bytes);
        List<VariantSpec> largestFirst = new ArrayList<>(config.variants());
        largestFirst.sort(Comparator.comparingLong((VariantSpec v) -> (long) v.width() * v.height()).reversed());
        Decoded decoded = decode(bytes, type, orientation);
        Pixels source = decoded.pixels();
        boolean swap = Orientation.swapsAxes(orientation);
        int uprightWidth = swap ? decoded.height() : decoded.width();
        int uprightHeight = swap ? decoded.width() : decoded.height();
        Map<VariantSpec, Pixels> rendered = new HashMap<>();
        Map<VariantSpec, CompletableFuture<Variant>> encoded = new HashMap<>();
        Pixels fullFrame = null;
        for (VariantSpec spec : largestFirst) {
            Plan plan = plan(decoded.width(), decoded.height(), orientation, spec).on(source, decoded.width(), decoded.height());
            // A smaller full-frame variant is reduced from the previous one when that still leaves 2x: same quality, far less work.
            Pixels base = !spec.cover() && fullFrame != null
                    && fullFrame.width() >= 2 * plan.width() && fullFrame.height() >= 2 * plan.height() ? fullFrame : source;
            Pixels stored = base == source
                    ? Resampler.resize(source, plan.cropX(), plan.cropY(), plan.cropWidth(), plan.cropHeight(), plan.width(), plan.height())
                    : Resampler.resize(base, 0, 0, base.width(), base.height(), plan.width(), plan.height());
            if (!spec.cover()) {
                fullFrame = stored;
            }
            Pixels upright = Orientation.apply(stored, orientation);
            rendered.put(spec, upright);
            encoded.put(spec, CompletableFuture.supplyAsync(() -> encode(spec.name(), upright), ForkJoinPool.commonPool()));
        }
        List<Variant> variants = new ArrayList<>();
        for (VariantSpec spec : config.variants()) {
            variants.add(encoded.get(spec).join());
        }
        Pixels placeholderSource = largestFirst.isEmpty()
                ? Orientation.apply(source, orientation) : rendered.get(largestFirst.get(largestFirst.size() - 1));
        return new Image(type, uprightWidth, uprightHeight, decoded.frames(), variants, Placeholder.of(placeholderSource));
    }

    /** Where to crop the stored (not yet upright) pixels, and to what size to reduce them, for one variant. */
    private record Plan(int cropX, int cropY, int cropWidth, int cropHeight, int width, int height) {

        /** The same plan on pixels decoded at a reduced size: the crop scales, the variant's size does not. */
        Plan on(Pixels decoded, int fullWidth, int fullHeight) {
            if (decoded.width() == fullWidth && decoded.height() == fullHeight) {
                return this;
            }
            double sx = (double) decoded.width() / fullWidth;
            double sy = (double) decoded.height() / fullHeight;
            int x = (int) Math.floor(cropX * sx);
            int y = (int) Math.floor(cropY * sy);
            return new Plan(x, y, Math.min(decoded.width() - x, Math.max(1, (int) Math.round(cropWidth * sx))),
                    Math.min(decoded.height() - y, Math.max(1, (int) Math.round(cropHeight * sy))), width, height);
        }
    }

    private static Plan plan(int sourceWidth, int sourceHeight, int orientation, VariantSpec spec) {
        boolean swap = Orientation.swapsAxes(orientation);
        int uprightWidth = swap ? sourceHeight : sourceWidth;
        int uprightHeight = swap ? sourceWidth : sourceHeight;
        int cropW = uprightWidth;
        int cropH = uprightHeight;
        if (spec.cover()) {
            double boxAspect = (double) spec.width() / spec.height();
            if ((double) uprightWidth / uprightHeight > boxAspect) {
                cropW = Math.max(1, (int) Math.round(uprightHeight * boxAspect));
            } else {
                cropH = Math.max(1, (int) Math.round(uprightWidth / boxAspect));
            }
        }
        double scale = Math.min(1.0, Math.min((double) spec.width() / cropW, (double) spec.height() / cropH));
        int targetW = Math.max(1, (int) Math.round(cropW * scale));
        int targetH = Math.max(1, (int) Math.round(cropH * scale));
        int storedCropW = swap ? cropH : cropW;
        int storedCropH = swap ? cropW : cropH;
        return new Plan((sourceWidth - storedCropW) / 2, (sourceHeight - storedCropH) / 2, storedCropW, storedCropH,
                swap ? targetH : targetW, swap ? targetW : targetH);
    }

    /**
     * Whether a JPEG goes to the reducing decoder, and how far it may reduce (as a power of two, 0–3). Only when every
     * variant shrinks the picture by {@value #MIN_REDUCTION_FOR_FAST_DECODE}× or more: the decoder replicates
     * subsampled chroma where ImageIO interpolates it, a difference such a reduction leaves invisible. As far as every
     * variant's box step would take it anyway, so the result is the same picture without the full-size pixels.
     */
    private OptionalInt reducedDecodeShift(int width, int height, int orientation) {
        int factor = 8;
        for (VariantSpec spec : config.variants()) {
            Plan plan = plan(width, height, orientation, spec);
            if (plan.cropWidth() < MIN_REDUCTION_FOR_FAST_DECODE * plan.width()
                    || plan.cropHeight() < MIN_REDUCTION_FOR_FAST_DECODE * plan.height()) {
                return OptionalInt.empty();
            }
            factor = Math.min(factor, Math.min(Resampler.boxFactor(plan.cropWidth(), plan.width()),
                    Resampler.boxFactor(plan.cropHeight(), plan.height())));
        }
        return config.variants().isEmpty() ? OptionalInt.empty()
                : OptionalInt.of(31 - Integer.numberOfLeadingZeros(factor));
    }

    private Variant encode(String name, Pixels pixels) {
        boolean alpha = pixels.channels() == 4;
        byte[] bytes = alpha ? Encoders.png(pixels) : Encoders.jpeg(pixels, config.jpegQuality());
        return new Variant(name, bytes, alpha ? FileType.PNG : FileType.JPEG, pixels.width(), pixels.height());
    }

    /** The decoded pixels (possibly reduced while decoding) and the source's own size. */
    private record Decoded(Pixels pixels, int width, int height, int frames) {
    }

    /**
     * Tries each plugin for the format in turn, TwelveMonkeys first (it registers ahead of the JDK's readers, and reads
     * CMYK/YCCK, Adobe-inverted and broken-ICC JPEGs the JDK gets wrong or refuses). Only the last failure rejects the file.
     */
    private Decoded decode(byte[] bytes, FileType type, int orientation) throws ImageRejectedException {
        List<ImageReader> readers = readers(type);
        if (readers.isEmpty()) {
            throw new ImageRejectedException(RejectionReason.UNSUPPORTED_FORMAT, "no decoder for " + type.mimeType());
        }
        ImageRejectedException failure = null;
        for (ImageReader reader : readers) {
            try {
                return decode(bytes, type, reader, orientation);
            } catch (ImageRejectedException e) {
                if (e.reason() != RejectionReason.CORRUPT) {
                    throw e;
                }
                failure = e;
            } finally {
                reader.dispose();
            }
        }
        throw failure;
    }

    private Decoded decode(byte[] bytes, FileType type, ImageReader reader, int orientation) throws ImageRejectedException {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, false, true);
            int width;
            int height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw new ImageRejectedException(RejectionReason.CORRUPT, "unreadable " + type.mimeType() + " header", e);
            }
            if (width <= 0 || height <= 0) {
                throw new ImageRejectedException(RejectionReason.CORRUPT, "the header declares no pixels");
            }
            if ((long) width * height > config.maxSourcePixels()) {
                throw new ImageRejectedException(RejectionReason.TOO_MANY_PIXELS, width + "x" + height
                        + " is more than " + config.maxSourcePixels() + " pixels");
            }
            int frames = frames(reader, type);
            OptionalInt fastShift = type == FileType.JPEG ? reducedDecodeShift(width, height, orientation) : OptionalInt.empty();
            if (fastShift.isPresent()) {
                int shift = fastShift.getAsInt();
                try {
                    Pixels reduced = ScaledJpegDecoder.decode(bytes, shift);
                    if (reduced.width() == (width + (1 << shift) - 1) >> shift
                            && reduced.height() == (height + (1 << shift) - 1) >> shift) {
                        return new Decoded(reduced, width, height, frames);
                    }
                } catch (ScaledJpegDecoder.Unsupported e) {
                    // progressive, CMYK, ICC-tagged or damaged: the full decoder below takes it and judges it
                }
            }
            TruncationWatch truncation = new TruncationWatch();
            reader.addIIOReadWarningListener(truncation);
            BufferedImage image;
            try {
                image = reader.read(0);
            } catch (IOException | RuntimeException e) {
                throw new ImageRejectedException(RejectionReason.CORRUPT, "the " + type.mimeType() + " data cannot be decoded", e);
            }
            if (truncation.truncated) {
                throw new ImageRejectedException(RejectionReason.CORRUPT, "the " + type.mimeType() + " data ends early");
            }
            return new Decoded(toPixels(image), width, height, frames);
        } catch (IOException e) {
            throw new ImageRejectedException(RejectionReason.CORRUPT, "unreadable " + type.mimeType(), e);
        }
    }

    private static List<ImageReader> readers(FileType type) {
        List<ImageReader> readers = new ArrayList<>();
        ImageIO.getImageReadersByMIMEType(type.mimeType()).forEachRemaining(readers::add);
        return readers;
    }

    private static int frames(ImageReader reader, FileType type) {
        if (type != FileType.GIF && type != FileType.WEBP) {
            return 1;
        }
        try {
            return Math.max(1, reader.getNumImages(true));
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    /** Decoders report a cut-off file as a warning and hand back a half-grey picture: that is a corrupt upload. */
    private static final class TruncationWatch implements IIOReadWarningListener {
        boolean truncated;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            String text = warning == null ? "" : warning.toLowerCase(java.util.Locale.ROOT);
            if (text.contains("premature end") || text.contains("truncated") || text.contains("unexpected end")) {
                truncated = true;
            }
        }
    }

    /**
     * Any decoded picture as 8-bit sRGB: 3 channels (BGR) when opaque, 4 (ABGR, premultiplied) when any pixel is
     * not fully opaque. ICC profiles and CMYK go through the colour management module; grey is copied as stored.
     */
    static Pixels toPixels(BufferedImage image) {
        ColorModel model = image.getColorModel();
        int width = image.getWidth();
        int height = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR && model.getColorSpace().isCS_sRGB()) {
            return new Pixels(((DataBufferByte) image.getRaster().getDataBuffer()).getData(), width, height, 3);
        }
        if (!(model instanceof IndexColorModel) && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return grey(image.getRaster(), model.hasAlpha());
        }
        BufferedImage source = image;
        if (!(model instanceof IndexColorModel) && !model.getColorSpace().isCS_sRGB()) {
            BufferedImage converted = new BufferedImage(width, height,
                    model.hasAlpha() ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
            new ColorConvertOp(null).filter(image, converted);
            source = converted;
        }
        if (!model.hasAlpha()) {
            return draw(source, BufferedImage.TYPE_3BYTE_BGR, 3);
        }
        Pixels premultiplied = draw(source, BufferedImage.TYPE_4BYTE_ABGR_PRE, 4);
        return isOpaque(premultiplied) ? dropAlpha(premultiplied) : premultiplied;
    }

    private static Pixels draw(BufferedImage source, int type, int channels) {
        if (source.getType() == type) {
            return new Pixels(((DataBufferByte) source.getRaster().getDataBuffer()).getData(),
                    source.getWidth(), source.getHeight(), channels);
        }
        BufferedImage target = new BufferedImage(source.getWidth(), source.getHeight(), type);
        Graphics2D graphics = target.createGraphics();
        graphics.drawImage(source, 0, 0, null);
        graphics.dispose();
        return new Pixels(((DataBufferByte) target.getRaster().getDataBuffer()).getData(),
                source.getWidth(), source.getHeight(), channels);
    }

    /** Grey (8 or 16 bit, with or without alpha) as stored: Java would treat it as linear and brighten it. */
    private static Pixels grey(Raster raster, boolean alpha) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int shift = Math.max(0, raster.getSampleModel().getSampleSize(0) - 8);
        int channels = alpha ? 4 : 3;
        byte[] out = new byte[width * height * channels];
        int[] row = new int[width * raster.getNumBands()];
        int q = 0;
        boolean opaque = true;
        for (int y = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int x = 0; x < width; x++) {
                int grey = row[x * raster.getNumBands()] >> shift;
                if (alpha) {
                    int a = row[x * 2 + 1] >> shift;
                    opaque &= a == 255;
                    int g = (grey * a + 127) / 255;
                    out[q++] = (byte) a;
                    out[q++] = (byte) g;
                    out[q++] = (byte) g;
                    out[q++] = (byte) g;
                } else {
                    out[q++] = (byte) grey;
                    out[q++] = (byte) grey;
                    out[q++] = (byte) grey;
                }
            }
        }
        Pixels pixels = new Pixels(out, width, height, channels);
        return alpha && opaque ? dropAlpha(pixels) : pixels;
    }

    private static boolean isOpaque(Pixels abgr) {
        byte[] data = abgr.data();
        for (int i = 0; i < data.length; i += 4) {
            if (data[i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static Pixels dropAlpha(Pixels abgr) {
        byte[] in = abgr.data();
        byte[] out = new byte[abgr.width() * abgr.height() * 3];
        for (int i = 0, q = 0; i < in.length; i += 4) {
            out[q++] = in[i + 1];
            out[q++] = in[i + 2];
            out[q++] = in[i + 3];
        }
        return new Pixels(out, abgr.width(), abgr.height(), 3);
    }

}
