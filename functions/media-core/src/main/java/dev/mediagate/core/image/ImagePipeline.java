package dev.mediagate.core.image;

import dev.mediagate.core.MediaType;
import dev.mediagate.core.image.MediaOutcome.Image;
import dev.mediagate.core.image.MediaOutcome.Rejected;
import dev.mediagate.core.image.MediaOutcome.Variant;
import dev.mediagate.core.image.Resampler.Pixels;
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
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Uploaded bytes in, variants out: sniff the real format, read only the header and refuse oversized sources before any
 * pixel is decoded, decode the first frame, convert to sRGB, downscale each variant, turn it upright (EXIF orientation)
 * and encode it without any metadata. A bad file becomes a {@link Rejected} outcome, never an exception.
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

    private final ResizeConfig config;

    public ImagePipeline(ResizeConfig config) {
        this.config = config;
    }

    public MediaOutcome process(byte[] bytes, MediaType declared) {
        Optional<MediaType> sniffed = FormatSniffer.sniff(bytes);
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

    private Image image(byte[] bytes, MediaType type) throws ImageRejectedException {
        Decoded decoded = decode(bytes, type);
        int orientation = type == MediaType.GIF ? 1 : Orientation.read(bytes);
        Pixels source = decoded.pixels();
        boolean swap = Orientation.swapsAxes(orientation);
        int uprightWidth = swap ? source.height() : source.width();
        int uprightHeight = swap ? source.width() : source.height();
        List<Variant> variants = new ArrayList<>();
        Pixels smallest = null;
        for (VariantSpec spec : config.variants()) {
            Pixels upright = render(source, orientation, uprightWidth, uprightHeight, spec);
            variants.add(encode(spec.name(), upright));
            if (smallest == null || upright.width() * upright.height() < smallest.width() * smallest.height()) {
                smallest = upright;
            }
        }
        Pixels placeholderSource = smallest != null ? smallest : Orientation.apply(source, orientation);
        return new Image(type, uprightWidth, uprightHeight, decoded.frames(), variants, Placeholder.of(placeholderSource));
    }

    private static Pixels render(Pixels source, int orientation, int uprightWidth, int uprightHeight, VariantSpec spec) {
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
        boolean swap = Orientation.swapsAxes(orientation);
        int storedCropW = swap ? cropH : cropW;
        int storedCropH = swap ? cropW : cropH;
        Pixels resized = Resampler.resize(source,
                (source.width() - storedCropW) / 2, (source.height() - storedCropH) / 2, storedCropW, storedCropH,
                swap ? targetH : targetW, swap ? targetW : targetH);
        return Orientation.apply(resized, orientation);
    }

    private Variant encode(String name, Pixels pixels) {
        boolean alpha = pixels.channels() == 4;
        byte[] bytes = alpha ? Encoders.png(pixels) : Encoders.jpeg(pixels, config.jpegQuality());
        return new Variant(name, bytes, alpha ? MediaType.PNG : MediaType.JPEG, pixels.width(), pixels.height());
    }

    private record Decoded(Pixels pixels, int frames) {
    }

    private Decoded decode(byte[] bytes, MediaType type) throws ImageRejectedException {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = reader(input, type);
            try {
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
                return new Decoded(toPixels(image), frames);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageRejectedException(RejectionReason.CORRUPT, "unreadable " + type.mimeType(), e);
        }
    }

    private static ImageReader reader(ImageInputStream input, MediaType type) throws ImageRejectedException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type.mimeType());
        if (!readers.hasNext()) {
            throw new ImageRejectedException(RejectionReason.UNSUPPORTED_FORMAT, "no decoder for " + type.mimeType());
        }
        return readers.next();
    }

    private static int frames(ImageReader reader, MediaType type) {
        if (type != MediaType.GIF && type != MediaType.WEBP) {
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
