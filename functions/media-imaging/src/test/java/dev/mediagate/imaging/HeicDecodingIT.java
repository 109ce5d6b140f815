package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.MediaOutcome.Image;
import dev.mediagate.imaging.MediaOutcome.Rejected;
import dev.mediagate.imaging.MediaOutcome.Variant;
import dev.mediagate.local.lambda.HeicLayer;
import dev.mediagate.local.lambda.SharpLibvips;
import dev.mediagate.testing.HeicFiles;
import dev.mediagate.testing.Images;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HEIC through the HEIC layer's libheif (built from its pinned Debian packages as {@code sam build} lays it out) and the
 * pinned libvips: iPhone-shaped files made here with {@code heif-enc} in all eight orientations end ready, upright,
 * without metadata; the declared type must match the bytes; the size limit holds before decoding.
 */
class HeicDecodingIT {

    private static final Libvips LIBVIPS = Libvips.load(SharpLibvips.library(), 1);
    private static final Libheif LIBHEIF = Libheif.load(HeicLayer.library());
    private static final ResizeConfig CONFIG = new ResizeConfig(
            VariantSpec.parseList("VARIANTS", "thumb=320x320,small=120x120,avatar=64x64:cover"), 50_000_000L, 82, Set.of(VariantFormat.WEBP));
    private static final ImagePipeline PIPELINE = new ImagePipeline(CONFIG, LIBVIPS, Optional.of(LIBHEIF));

    @TempDir
    Path work;

    @Test
    void theLayersLibheifIsBullseyes() {
        assertThat(LIBHEIF.version()).isEqualTo("1.11.0");
    }

    /** Red top-left, blue top-right, green bottom-left, white bottom-right, 300×200, whatever the file's orientation. */
    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void aHeicInEachOrientationEndsReadyUprightAndWithoutMetadata(int orientation) throws Exception {
        byte[] heic = HeicFiles.heic(Images.quadrants(300, 200), orientation, work);
        assertThat(exifOrientation(heic)).as("the file says its orientation in EXIF too, as iPhones do").isEqualTo(orientation);

        MediaOutcome outcome = PIPELINE.process(heic, FileType.HEIC);

        assertThat(outcome).as(String.valueOf(outcome)).isInstanceOf(Image.class);
        Image image = (Image) outcome;
        assertThat(image.width()).isEqualTo(300);
        assertThat(image.height()).isEqualTo(200);
        for (Variant variant : image.variants()) {
            BufferedImage pixels = Images.read(variant.bytes());
            assertThat(variant.type()).isEqualTo(FileType.JPEG);
            if (!variant.name().equals("avatar")) {
                assertThat((double) pixels.getWidth() / pixels.getHeight()).as(variant.name()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.05));
                assertUpright(variant.name(), pixels);
            }
            assertThat(metadataOf(variant.bytes())).as(variant.name() + ": metadata left in the JPEG").isEmpty();
            byte[] webp = variant.alternates().getFirst().bytes();
            assertUpright(variant.name() + ".webp", variant.name().equals("avatar") ? null : Images.read(webp));
            assertThat(new String(webp, java.nio.charset.StandardCharsets.ISO_8859_1)).as(variant.name() + ".webp: chunks")
                    .doesNotContain("EXIF").doesNotContain("XMP ").doesNotContain("ICCP");
        }
    }

    /**
     * The HEIC's ICC profile reaches libvips with the pixels (in the lossless intermediate), so it is treated as a JPEG's
     * embedded profile is: the same pixels with the same profile come out alike from both, and no profile is left.
     */
    @Test
    void theHeicsIccProfileReachesLibvipsAndIsTreatedAsAJpegsThenStripped() throws Exception {
        BufferedImage grey = new BufferedImage(120, 80, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 120; x++) {
                grey.setRGB(x, y, 0x808080 + (x << 16));
            }
        }
        byte[] linear = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData();
        byte[] heic = HeicFiles.heicWithProfile(grey, linear, work);

        try (NativeBytes file = NativeBytes.copyOf(heic)) {
            boolean carried = LIBHEIF.decode(file, 1_000_000L, picture -> {
                assertThat(picture.iccProfile()).as("libheif's profile").isEqualTo(linear);
                try (NativeBytes intermediate = LIBVIPS.operations().losslessCopy(picture)) {
                    byte[] bytes = intermediate.prefix((int) intermediate.length());
                    return java.util.Collections.indexOfSubList(asList(bytes), asList(linear)) >= 0;
                }
            });
            assertThat(carried).as("the intermediate TIFF holds the profile").isTrue();
        }
        byte[] fromHeic = ((Image) PIPELINE.process(heic, FileType.HEIC)).variants().getFirst().bytes();
        byte[] jpegPayload = new byte[14 + linear.length];
        System.arraycopy("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, jpegPayload, 0, 12);
        jpegPayload[12] = 1;
        jpegPayload[13] = 1;
        System.arraycopy(linear, 0, jpegPayload, 14, linear.length);
        byte[] fromJpeg = ((Image) PIPELINE.process(Images.withSegment(Images.jpeg(grey, 95, false), 0xE2, jpegPayload), FileType.JPEG))
                .variants().getFirst().bytes();
        Color heicCentre = new Color(Images.read(fromHeic).getRGB(60, 40));
        Color jpegCentre = new Color(Images.read(fromJpeg).getRGB(60, 40));
        assertThat(Math.abs(heicCentre.getGreen() - jpegCentre.getGreen())).as(heicCentre + " against " + jpegCentre).isLessThan(6);
        assertThat(new String(fromHeic, java.nio.charset.StandardCharsets.ISO_8859_1)).as("no ICC profile left").doesNotContain("ICC_PROFILE");
    }

    private static List<Byte> asList(byte[] bytes) {
        List<Byte> list = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    @Test
    void aHeicDeclaredAsAnotherTypeOrAnotherTypeDeclaredHeicIsATypeMismatchButHeicIsAHeif() {
        byte[] heic = HeicFiles.heic(Images.quadrants(64, 48), 1, work);
        byte[] jpeg = Images.jpeg(Images.quadrants(64, 48));

        assertThat(PIPELINE.process(heic, FileType.JPEG)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.TYPE_MISMATCH));
        assertThat(PIPELINE.process(jpeg, FileType.HEIC)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.TYPE_MISMATCH));
        // image/heif names HEIF images of any coding, HEVC's included.
        assertThat(PIPELINE.process(heic, FileType.HEIF)).isInstanceOf(Image.class);
    }

    @Test
    void aHeicOverThePixelLimitIsRefusedBeforeDecodingAndACutOneIsCorrupt() {
        byte[] heic = HeicFiles.heic(Images.quadrants(300, 200), 6, work);
        ImagePipeline small = new ImagePipeline(new ResizeConfig(CONFIG.variants(), 59_999L, 82, Set.of()), LIBVIPS, Optional.of(LIBHEIF));

        assertThat(small.process(heic, FileType.HEIC)).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.TOO_MANY_PIXELS);
            assertThat(r.detail()).contains("300x200");
        });
        // A 20000 × 20000 header over 300 × 200 of data: refused from the header, not decoded; past libheif's own
        // bound of 32768 a side, by libheif.
        assertThat(PIPELINE.process(HeicFiles.withDeclaredSize(heic, 20_000, 20_000), FileType.HEIC)).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.TOO_MANY_PIXELS);
            assertThat(r.detail()).contains("20000x20000");
        });
        assertThat(PIPELINE.process(HeicFiles.withDeclaredSize(heic, 60_000, 60_000), FileType.HEIC)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.TOO_MANY_PIXELS));
        assertThat(PIPELINE.process(Arrays.copyOf(heic, heic.length * 2 / 3), FileType.HEIC)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.CORRUPT));
    }

    @Test
    void withoutTheHeicLayerAHeicIsAnUnsupportedFormat() {
        byte[] heic = HeicFiles.heic(Images.quadrants(64, 48), 1, work);

        assertThat(new ImagePipeline(CONFIG, LIBVIPS).process(heic, FileType.HEIC)).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.UNSUPPORTED_FORMAT);
            assertThat(r.detail()).contains("HeicSupport=true");
        });
    }

    private static void assertUpright(String what, BufferedImage pixels) {
        if (pixels == null) {
            return;
        }
        int w = pixels.getWidth();
        int h = pixels.getHeight();
        assertColour(what + " top left", pixels.getRGB(w / 4, h / 4), Color.RED);
        assertColour(what + " top right", pixels.getRGB(3 * w / 4, h / 4), Color.BLUE);
        assertColour(what + " bottom left", pixels.getRGB(w / 4, 3 * h / 4), Color.GREEN);
        assertColour(what + " bottom right", pixels.getRGB(3 * w / 4, 3 * h / 4), Color.WHITE);
    }

    private static void assertColour(String what, int rgb, Color expected) {
        Color actual = new Color(rgb);
        int distance = Math.abs(actual.getRed() - expected.getRed()) + Math.abs(actual.getGreen() - expected.getGreen())
                + Math.abs(actual.getBlue() - expected.getBlue());
        assertThat(distance).as(what + ": " + actual + ", expected " + expected).isLessThan(60);
    }

    private static int exifOrientation(byte[] file) throws Exception {
        for (Directory directory : ImageMetadataReader.readMetadata(new ByteArrayInputStream(file)).getDirectories()) {
            if (directory.getName().equals("Exif IFD0") && directory.containsTag(0x0112)) {
                return directory.getInt(0x0112);
            }
        }
        return 0;
    }

    /** The metadata directories metadata-extractor finds in a JPEG beyond its own structure (JPEG, JFIF, Huffman, file). */
    private static List<String> metadataOf(byte[] jpeg) throws Exception {
        List<String> found = new ArrayList<>();
        for (Directory directory : ImageMetadataReader.readMetadata(new ByteArrayInputStream(jpeg)).getDirectories()) {
            String name = directory.getName();
            if (!name.equals("JPEG") && !name.equals("JFIF") && !name.equals("Huffman") && !name.equals("File Type")
                    && !name.equals("JpegComment") && !name.equals("File")) {
                found.add(name);
            }
        }
        return found;
    }
}
