package dev.mediagate.imaging;

import static dev.mediagate.testing.Images.jpeg;
import static dev.mediagate.testing.Images.png;
import static dev.mediagate.testing.Images.quadrants;
import static dev.mediagate.testing.Images.read;
import static dev.mediagate.testing.Images.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.MediaOutcome.Image;
import dev.mediagate.imaging.MediaOutcome.Rejected;
import dev.mediagate.imaging.MediaOutcome.Variant;
import dev.mediagate.testing.Images;
import dev.mediagate.local.lambda.SharpLibvips;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImagePipelineTest {

    private static final ResizeConfig DEFAULTS = new ResizeConfig(
            VariantSpec.parseList("VARIANTS", "thumb=32x32,medium=64x64,square=20x20:cover"), 50_000_000L, 82,
            Set.of(VariantFormat.WEBP, VariantFormat.AVIF));
    private static final Libvips VIPS = Libvips.load(SharpLibvips.library(), 1);
    private final ImagePipeline pipeline = new ImagePipeline(DEFAULTS, VIPS);

    /** At 160×120 libvips decodes the JPEG at full size; at 640×480 it shrinks it while loading. */
    @ParameterizedTest(name = "orientation {0}, {1}x{2}")
    @CsvSource({"1, 160, 120", "2, 160, 120", "3, 160, 120", "4, 160, 120", "5, 160, 120", "6, 160, 120", "7, 160, 120",
        "8, 160, 120", "1, 640, 480", "3, 640, 480", "5, 640, 480", "6, 640, 480", "8, 640, 480"})
    void everyExifOrientationGivesUprightVariantsOfTheRightSize(int orientation, int width, int height) {
        BufferedImage upright = quadrants(width, height);
        byte[] stored = Images.withMetadata(jpeg(stored(upright, orientation)), orientation, false, 0);

        Image image = (Image) pipeline.process(stored, FileType.JPEG);

        assertThat(image.width()).isEqualTo(width);
        assertThat(image.height()).isEqualTo(height);
        Variant medium = variant(image, "medium");
        assertThat(medium.width()).isEqualTo(64);
        assertThat(medium.height()).isEqualTo(48);
        assertQuadrants(read(medium.bytes()));
        Variant square = variant(image, "square");
        assertThat(square.width()).isEqualTo(20);
        assertThat(square.height()).isEqualTo(20);
        assertQuadrants(read(square.bytes()));
    }

    @Test
    void everyVariantAlsoComesAsWebpAndAvifOfTheSamePicture() {
        Image image = (Image) pipeline.process(jpeg(quadrants(640, 480)), FileType.JPEG);

        for (Variant variant : image.variants()) {
            assertThat(variant.alternates()).extracting(MediaOutcome.Alternate::format)
                    .containsExactly(VariantFormat.WEBP, VariantFormat.AVIF);
            byte[] webp = variant.alternates().get(0).bytes();
            assertThat(new String(webp, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
            assertThat(riffChunks(webp)).as(variant.name()).doesNotContain("EXIF", "XMP ", "ICCP");
            BufferedImage decoded = read(webp);
            assertThat(decoded.getWidth()).isEqualTo(variant.width());
            assertThat(decoded.getHeight()).isEqualTo(variant.height());
            assertQuadrants(decoded);
            byte[] avif = variant.alternates().get(1).bytes();
            assertThat(new String(avif, 4, 8, StandardCharsets.US_ASCII)).isEqualTo("ftypavif");
            assertThat(new String(avif, StandardCharsets.ISO_8859_1)).doesNotContain("Exif", "mime");
        }
    }

    @Test
    void noAlternatesWhenNoExtraFormatIsConfigured() {
        ImagePipeline jpegOnly = new ImagePipeline(new ResizeConfig(DEFAULTS.variants(), 50_000_000L, 82, Set.of()), VIPS);

        Image image = (Image) jpegOnly.process(jpeg(quadrants(160, 120)), FileType.JPEG);

        assertThat(image.variants()).allSatisfy(variant -> assertThat(variant.alternates()).isEmpty());
    }

    @Test
    void convertsCmykJpegsToSrgb() {
        Image image = (Image) pipeline.process(resource("cmyk-red-corner.jpg"), FileType.JPEG);

        BufferedImage medium = read(variant(image, "medium").bytes());
        assertThat(medium.getWidth()).isEqualTo(48);
        // Full magenta and yellow ink is the red a print shows, not sRGB's pure red: colour-managed, it stays that red.
        assertColor(medium, 4, 4, new Color(232, 30, 42));
        assertColor(medium, 40, 28, Color.WHITE);
    }

    @Test
    void convertsYcckJpegsToSrgb() {
        Image image = (Image) pipeline.process(resource("cmyk.jpg"), FileType.JPEG);

        BufferedImage medium = read(variant(image, "medium").bytes());
        assertColor(medium, 32, 2, new Color(232, 30, 42));
        assertColor(medium, 32, 45, new Color(46, 49, 146));
    }

    @Test
    void readsProgressiveJpegs() {
        Image image = (Image) pipeline.process(jpeg(quadrants(160, 120), 90, true), FileType.JPEG);

        assertQuadrants(read(variant(image, "medium").bytes()));
    }

    @Test
    void reads16BitRgbPngs() {
        Image image = (Image) pipeline.process(png(sixteenBit(quadrants(160, 120))), FileType.PNG);

        assertThat(variant(image, "medium").type()).isEqualTo(FileType.JPEG);
        assertQuadrants(read(variant(image, "medium").bytes()));
    }

    @ParameterizedTest(name = "{0}-bit grey")
    @ValueSource(ints = {8, 16})
    void keepsGreyLevelsOfGreyPngsAsStored(int bits) {
        BufferedImage grey = new BufferedImage(64, 64, bits == 8 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = grey.getRaster();
        int mid = bits == 8 ? 100 : 100 * 257;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                raster.setSample(x, y, 0, mid);
            }
        }

        Image image = (Image) pipeline.process(png(grey), FileType.PNG);

        // The stored sample, not getRGB: Java takes grey as linear light and would brighten it on the way out.
        BufferedImage thumb = read(variant(image, "thumb").bytes());
        for (int band = 0; band < thumb.getRaster().getNumBands(); band++) {
            assertThat(thumb.getRaster().getSample(16, 16, band)).isBetween(97, 103);
        }
    }

    @Test
    void readsPalettePngsWithTransparencyAsPngWithAlpha() {
        IndexColorModel palette = new IndexColorModel(8, 2,
                new byte[] {(byte) 255, 0}, new byte[] {0, 0}, new byte[] {0, (byte) 255}, new byte[] {(byte) 255, 0});
        BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                image.getRaster().setSample(x, y, 0, x < 20 ? 0 : 1);
            }
        }

        Image result = (Image) pipeline.process(png(image), FileType.PNG);

        Variant thumb = variant(result, "thumb");
        assertThat(thumb.type()).isEqualTo(FileType.PNG);
        BufferedImage decoded = read(thumb.bytes());
        assertThat(decoded.getColorModel().hasAlpha()).isTrue();
        assertThat(new Color(decoded.getRGB(3, 16), true).getAlpha()).isEqualTo(255);
        assertThat(new Color(decoded.getRGB(3, 16), true).getRed()).isGreaterThan(240);
        assertThat(new Color(decoded.getRGB(28, 16), true).getAlpha()).isZero();
    }

    @Test
    void keepsSemiTransparentPixelsWithoutDarkFringes() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(255, 255, 255, 128));
        g.fillRect(0, 0, 64, 64);
        g.dispose();

        Image result = (Image) pipeline.process(png(image), FileType.PNG);

        Color pixel = new Color(read(variant(result, "thumb").bytes()).getRGB(16, 16), true);
        assertThat(pixel.getAlpha()).isBetween(126, 130);
        assertThat(pixel.getRed()).isGreaterThan(250);
    }

    @Test
    void writesJpegForAnAlphaChannelThatIsFullyOpaque() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.drawImage(quadrants(64, 64), 0, 0, null);
        g.dispose();

        assertThat(variant((Image) pipeline.process(png(image), FileType.PNG), "thumb").type()).isEqualTo(FileType.JPEG);
    }

    @Test
    void makesStaticVariantsOfTheFirstFrameOfAnAnimatedGif() {
        Image image = (Image) pipeline.process(resource("animated.gif"), FileType.GIF);

        assertThat(image.frames()).isEqualTo(3);
        assertThat(image.animated()).isTrue();
        assertColor(read(variant(image, "thumb").bytes()), 16, 12, Color.RED);
    }

    @Test
    void readsLossyAndAlphaWebp() {
        Image lossy = (Image) pipeline.process(resource("photo.webp"), FileType.WEBP);
        Image alpha = (Image) pipeline.process(resource("alpha.webp"), FileType.WEBP);

        assertColor(read(variant(lossy, "medium").bytes()), 5, 5, Color.RED);
        assertThat(variant(alpha, "medium").type()).isEqualTo(FileType.PNG);
        assertThat(new Color(read(variant(alpha, "medium").bytes()).getRGB(50, 30), true).getAlpha()).isZero();
    }

    @Test
    void neverUpscalesASmallSource() {
        Image image = (Image) pipeline.process(jpeg(quadrants(30, 20)), FileType.JPEG);

        assertThat(variant(image, "medium").width()).isEqualTo(30);
        assertThat(variant(image, "medium").height()).isEqualTo(20);
    }

    @Test
    void coverVariantsFillTheBoxWithACentredCrop() {
        BufferedImage wide = new BufferedImage(300, 100, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = wide.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 300, 100);
        g.setColor(Color.RED);
        g.fillRect(100, 0, 100, 100);
        g.dispose();

        Variant square = variant((Image) pipeline.process(jpeg(wide), FileType.JPEG), "square");

        assertThat(square.width()).isEqualTo(20);
        assertThat(square.height()).isEqualTo(20);
        BufferedImage decoded = read(square.bytes());
        assertColor(decoded, 1, 10, Color.RED);
        assertColor(decoded, 18, 10, Color.RED);
    }

    @Test
    void variantsCarryNoExifGpsXmpOrComments() throws Exception {
        byte[] source = Images.withMetadata(jpeg(quadrants(160, 120)), 6, true, 60_000);
        assertThat(names(ImageMetadataReader.readMetadata(new ByteArrayInputStream(source))))
                .contains("Exif IFD0", "GPS", "XMP", "JpegComment");

        Image image = (Image) pipeline.process(source, FileType.JPEG);

        for (Variant variant : image.variants()) {
            // No APP1–APP15 (EXIF, XMP, ICC, IPTC…) and no comment segment.
            assertThat(segments(variant.bytes())).as(variant.name())
                    .noneMatch(marker -> marker >= 0xE1 && marker <= 0xEF || marker == 0xFE);
            assertThat(names(ImageMetadataReader.readMetadata(new ByteArrayInputStream(variant.bytes()))))
                    .as(variant.name()).doesNotContain("Exif IFD0", "GPS", "XMP", "JpegComment", "IPTC", "ICC Profile");
        }
    }

    @Test
    void makesASmallPlaceholderDataUri() {
        Image image = (Image) pipeline.process(jpeg(quadrants(3000, 2000)), FileType.JPEG);

        assertThat(image.placeholder()).startsWith("data:image/jpeg;base64,").hasSizeLessThanOrEqualTo(1024);
        BufferedImage placeholder = read(java.util.Base64.getDecoder().decode(image.placeholder().substring(23)));
        assertThat(Math.max(placeholder.getWidth(), placeholder.getHeight())).isBetween(16, 32);
    }

    @Test
    void rejectsAPngDeclaring20000By20000PixelsBeforeDecodingIt() {
        Rejected rejected = (Rejected) pipeline.process(Images.pngHeaderOnly(20_000, 20_000), FileType.PNG);

        assertThat(rejected.reason()).isEqualTo(RejectionReason.TOO_MANY_PIXELS);
    }

    @Test
    void rejectsATruncatedJpegAsCorrupt() {
        byte[] photo = jpeg(noise(400, 300));

        Rejected rejected = (Rejected) pipeline.process(Arrays.copyOf(photo, photo.length / 2), FileType.JPEG);

        assertThat(rejected.reason()).isEqualTo(RejectionReason.CORRUPT);
    }

    @Test
    void rejectsATruncatedPngAsCorrupt() {
        byte[] picture = png(noise(200, 200));

        Rejected rejected = (Rejected) pipeline.process(Arrays.copyOf(picture, picture.length / 2), FileType.PNG);

        assertThat(rejected.reason()).isEqualTo(RejectionReason.CORRUPT);
    }

    @Test
    void rejectsAZeroByteFileAsNotAnImage() {
        assertThat(((Rejected) pipeline.process(new byte[0], FileType.JPEG)).reason()).isEqualTo(RejectionReason.NOT_AN_IMAGE);
    }

    @Test
    void rejectsRandomBytesNamedJpegAsNotAnImage() {
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        random[0] = 0x12;

        assertThat(((Rejected) pipeline.process(random, FileType.JPEG)).reason()).isEqualTo(RejectionReason.NOT_AN_IMAGE);
    }

    @Test
    void rejectsAPdfDeclaredAsPngAsTypeMismatch() {
        byte[] pdf = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertThat(((Rejected) pipeline.process(pdf, FileType.PNG)).reason()).isEqualTo(RejectionReason.TYPE_MISMATCH);
    }

    @Test
    void rejectsAJpegDeclaredAsPngAsTypeMismatch() {
        assertThat(((Rejected) pipeline.process(jpeg(quadrants(40, 30)), FileType.PNG)).reason())
                .isEqualTo(RejectionReason.TYPE_MISMATCH);
    }

    @Test
    void acceptsAPdfWhoseBytesArePdfWithoutVariants() {
        byte[] pdf = "%PDF-1.4\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertThat(pipeline.process(pdf, FileType.PDF)).isEqualTo(new MediaOutcome.Document(FileType.PDF));
    }

    @Test
    void rejectsHtmlDeclaredAsPdf() {
        byte[] html = "<html><script>alert(1)</script></html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertThat(((Rejected) pipeline.process(html, FileType.PDF)).reason()).isEqualTo(RejectionReason.TYPE_MISMATCH);
    }

    /**
     * The stored pixels a camera writes for an upright scene when it records {@code orientation}, from the EXIF
     * definition of which visual side stored row 0 and column 0 are (e.g. 6: row 0 is the right side, column 0 the top).
     */
    private static BufferedImage stored(BufferedImage upright, int orientation) {
        boolean quarter = orientation >= 5;
        int w = quarter ? upright.getHeight() : upright.getWidth();
        int h = quarter ? upright.getWidth() : upright.getHeight();
        AffineTransform uprightToStored = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, -1, 1, 0, 0, h);
            case 7 -> new AffineTransform(0, -1, -1, 0, w, h);
            case 8 -> new AffineTransform(0, 1, -1, 0, w, 0);
            default -> new AffineTransform();
        };
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(upright, uprightToStored, null);
        g.dispose();
        return out;
    }

    private static void assertQuadrants(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        assertColor(image, w / 4, h / 4, Color.RED);
        assertColor(image, 3 * w / 4, h / 4, Color.BLUE);
        assertColor(image, w / 4, 3 * h / 4, Color.GREEN);
        assertColor(image, 3 * w / 4, 3 * h / 4, Color.WHITE);
    }

    private static void assertColor(BufferedImage image, int x, int y, Color expected) {
        Color actual = new Color(image.getRGB(x, y));
        assertThat(Math.abs(actual.getRed() - expected.getRed())
                + Math.abs(actual.getGreen() - expected.getGreen())
                + Math.abs(actual.getBlue() - expected.getBlue()))
                .as("colour at %d,%d: %s, expected %s", x, y, actual, expected).isLessThan(90);
    }

    @Test
    void theThumbhashAndDominantColourDescribeTheWholePictureNotTheSmallestCoverCrop() {
        // 300x100: a green band in the middle third (what a centred square crop sees), blue on both sides (two thirds).
        BufferedImage picture = new BufferedImage(300, 100, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = picture.createGraphics();
        g.setColor(new Color(0x1e, 0x3c, 0xc8));
        g.fillRect(0, 0, 300, 100);
        g.setColor(new Color(0x28, 0xb4, 0x32));
        g.fillRect(100, 0, 100, 100);
        g.dispose();
        ImagePipeline coverLast = new ImagePipeline(new ResizeConfig(
                VariantSpec.parseList("VARIANTS", "thumb=150x150,square=20x20:cover"), 50_000_000L, 82, Set.of()), VIPS);

        Image image = (Image) coverLast.process(png(picture), FileType.PNG);

        assertThat(image.dominantColor()).isEqualTo("#1e3cc8");
        // ThumbHash's header: bit 15 of bytes 3–4 says landscape, which a square crop is not.
        byte[] hash = java.util.Base64.getDecoder().decode(image.thumbhash());
        assertThat(hash[4] & 0x80).as("landscape flag").isNotZero();
        assertThat(hash.length).as("opaque: no alpha byte, 5 header bytes and the AC nibbles").isLessThan(30);
    }

    private static Variant variant(Image image, String name) {
        return image.variants().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    private static BufferedImage sixteenBit(BufferedImage rgb) {
        ColorModel model = new ComponentColorModel(java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
                false, false, java.awt.Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(rgb.getWidth(), rgb.getHeight());
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                Color c = new Color(rgb.getRGB(x, y));
                raster.setPixel(x, y, new int[] {c.getRed() * 257, c.getGreen() * 257, c.getBlue() * 257});
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(3);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0xFFFFFF));
            }
        }
        return image;
    }

    private static List<String> names(Metadata metadata) {
        List<String> names = new ArrayList<>();
        for (Directory directory : metadata.getDirectories()) {
            names.add(directory.getName());
        }
        return names;
    }

    /** The four-letter name of every chunk inside a WebP's RIFF container. */
    private static List<String> riffChunks(byte[] webp) {
        List<String> chunks = new ArrayList<>();
        for (int p = 12; p + 8 <= webp.length; ) {
            chunks.add(new String(webp, p, 4, StandardCharsets.US_ASCII));
            int size = (webp[p + 4] & 0xFF) | (webp[p + 5] & 0xFF) << 8 | (webp[p + 6] & 0xFF) << 16 | (webp[p + 7] & 0xFF) << 24;
            p += 8 + size + (size & 1);
        }
        return chunks;
    }

    /** The marker of every JPEG segment before the image data. */
    private static List<Integer> segments(byte[] jpeg) {
        List<Integer> markers = new ArrayList<>();
        int p = 2;
        while (p + 4 <= jpeg.length && (jpeg[p] & 0xFF) == 0xFF) {
            int marker = jpeg[p + 1] & 0xFF;
            markers.add(marker);
            if (marker == 0xDA) {
                break;
            }
            p += 2 + (((jpeg[p + 2] & 0xFF) << 8) | (jpeg[p + 3] & 0xFF));
        }
        return markers;
    }
}
