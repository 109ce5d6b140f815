package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.MediaOutcome.Image;
import dev.mediagate.imaging.MediaOutcome.Variant;
import dev.mediagate.testing.Images;
import dev.mediagate.local.lambda.SharpLibvips;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Photos from real cameras and phones (TwelveMonkeys' test corpus on Maven Central, see the list in docs/image-variants.md): each ends
 * ready, with upright variants of its upright shape that carry no metadata, in JPEG and WebP.
 */
class RealPhotosTest {

    private static final ImagePipeline PIPELINE = new ImagePipeline(new ResizeConfig(
            VariantSpec.parseList("VARIANTS", "thumb=320x320,medium=1024x1024,avatar=96x96:cover"), 50_000_000L, 82,
            Set.of(VariantFormat.WEBP)), Libvips.load(SharpLibvips.library(), 1));

    /** Camera and phone photos: maker and what makes each one hard. */
    static Stream<String> photos() {
        return Stream.of(
                "jpeg/jfif-jfif-and-exif-thumbnail-sharpshot-iphone.jpg",     // Apple iPhone, EXIF thumbnail
                "jpeg/exif-jpeg-thumbnail-sony-dsc-p150-inverted-colors.jpg", // Sony DSC-P150, sRGB ICC profile
                "jpeg/exif-rgb-thumbnail-sony-d700.jpg",                      // Sony DSC-D700, uncompressed RGB thumbnail
                "jpeg/exif-rgb-thumbnail-bad-exif-kodak-dc210.jpg",           // Kodak DC210, malformed EXIF
                "jpeg/jfif-jfxx-thumbnail-olympus-d320l.jpg",                 // Olympus D320L, JFXX thumbnail
                "jpeg/cmyk-sample-custom-icc-bright.jpg",                     // Nikon D3, CMYK with a custom ICC profile
                "jpeg/cmm-exception-adobe-rgb.jpg",                           // Adobe RGB ICC profile
                "jpeg/no-image-types-rgb-us-web-coated-v2-ms-photogallery-exif.jpg", // RGB data tagged with a CMYK profile
                "exif/Landscape_6.jpg", "exif/Portrait_8.jpg");                // orientation examples
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("photos")
    void endsReadyWithVariantsOfItsUprightShapeAndNoMetadata(String name) {
        byte[] photo = photo(name);

        Image image = (Image) PIPELINE.process(photo, FileType.JPEG);

        double aspect = (double) image.width() / image.height();
        for (Variant variant : image.variants()) {
            assertThat(Images.read(variant.bytes()).getWidth()).as(variant.name()).isEqualTo(variant.width());
            assertThat(noMetadataSegments(variant.bytes())).as(variant.name() + " carries no APPn or comment").isTrue();
            assertThat(variant.alternates()).hasSize(1);
            if (!variant.name().equals("avatar")) {
                assertThat((double) variant.width() / variant.height()).as(variant.name() + " keeps the upright shape")
                        .isCloseTo(aspect, org.assertj.core.data.Offset.offset(0.02 * aspect));
            }
        }
    }

    /** Every EXIF orientation of the same photo gives the same upright thumbnail as the one stored upright. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Landscape", "Portrait"})
    void everyOrientationOfACameraPhotoComesOutUpright(String shape) {
        BufferedImage upright = thumb(shape + "_1.jpg");

        List<Double> differences = new ArrayList<>();
        IntStream.rangeClosed(2, 8).forEach(orientation -> differences.add(meanDifference(upright, thumb(shape + "_" + orientation + ".jpg"))));

        assertThat(differences).as("mean difference per channel against orientation 1, orientations 2–8").allMatch(d -> d < 8);
    }

    /** Phones write a second picture (a preview, a depth or gain map) after the first, indexed by an APP2 MPF segment. */
    @org.junit.jupiter.api.Test
    void aPhoneJpegWithAnMpfSecondPictureShowsTheFirst() {
        byte[] primary = photo("jpeg/jfif-jfif-and-exif-thumbnail-sharpshot-iphone.jpg");
        byte[] withMpf = withMultiPicture(primary, Images.jpeg(Images.quadrants(64, 48)));

        Image image = (Image) PIPELINE.process(withMpf, FileType.JPEG);
        Image plain = (Image) PIPELINE.process(primary, FileType.JPEG);

        assertThat(image.width()).isEqualTo(plain.width());
        assertThat(meanDifference(Images.read(image.variants().get(0).bytes()), Images.read(plain.variants().get(0).bytes())))
                .isLessThan(1.0);
    }

    private static BufferedImage thumb(String name) {
        Image image = (Image) PIPELINE.process(photo("exif/" + name), FileType.JPEG);
        return Images.read(image.variants().get(0).bytes());
    }

    private static double meanDifference(BufferedImage a, BufferedImage b) {
        assertThat(b.getWidth()).isEqualTo(a.getWidth());
        assertThat(b.getHeight()).isEqualTo(a.getHeight());
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static boolean noMetadataSegments(byte[] jpeg) {
        for (int p = 2; p + 4 <= jpeg.length && (jpeg[p] & 0xFF) == 0xFF; ) {
            int marker = jpeg[p + 1] & 0xFF;
            if (marker >= 0xE1 && marker <= 0xEF || marker == 0xFE) {
                return false;
            }
            if (marker == 0xDA) {
                return true;
            }
            p += 2 + (((jpeg[p + 2] & 0xFF) << 8) | (jpeg[p + 3] & 0xFF));
        }
        return true;
    }

    private static byte[] photo(String name) {
        try (InputStream in = RealPhotosTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name + " in imageio-jpeg's tests jar").isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JPEG with an APP2 MPF index after its SOI and a second JPEG after its end, as phones lay them out. */
    private static byte[] withMultiPicture(byte[] first, byte[] second) {
        int segmentLength = 2 + 4 + 8 + 2 + 3 * 12 + 4 + 2 * 16;
        int firstSize = first.length + 2 + segmentLength;
        int tiffStart = 2 + 2 + 2 + 4;
        ByteBuffer mpf = ByteBuffer.allocate(segmentLength - 2);
        mpf.put("MPF\0".getBytes(StandardCharsets.US_ASCII)).put(new byte[] {'M', 'M', 0, 42}).putInt(8);
        mpf.putShort((short) 3);
        mpf.putShort((short) 0xB000).putShort((short) 7).putInt(4).put("0100".getBytes(StandardCharsets.US_ASCII));
        mpf.putShort((short) 0xB001).putShort((short) 4).putInt(1).putInt(2);
        mpf.putShort((short) 0xB002).putShort((short) 7).putInt(32).putInt(8 + 2 + 3 * 12 + 4);
        mpf.putInt(0);
        mpf.putInt(0x20030000).putInt(firstSize).putInt(0).putShort((short) 0).putShort((short) 0);
        mpf.putInt(0x00020002).putInt(second.length).putInt(firstSize - tiffStart).putShort((short) 0).putShort((short) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first, 0, 2);
        out.write(0xFF);
        out.write(0xE2);
        out.write(segmentLength >> 8);
        out.write(segmentLength & 0xFF);
        out.write(mpf.array(), 0, mpf.position());
        out.write(first, 2, first.length - 2);
        out.write(second, 0, second.length);
        return out.toByteArray();
    }
}
