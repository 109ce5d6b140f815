package dev.mediagate.resizer;

import dev.mediagate.imaging.Libvips;
import dev.mediagate.imaging.VariantFormat;
import dev.mediagate.local.lambda.SharpLibvips;
import java.util.Set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.FileType;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.MediaOutcome;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.imaging.VariantSpec;
import dev.mediagate.testing.Images;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What phones, scanners and attackers upload, each with its expected end (see the hostile corpus table of docs/image-variants.md). Runs,
 * like every test of this module, within the resizer's 1 GiB heap budget.
 */
class HostileCorpusTest {

    private static final ImagePipeline PIPELINE = new ImagePipeline(new ResizeConfig(
            VariantSpec.parseList("VARIANTS", ResizeConfig.DEFAULT_VARIANTS), 50_000_000L, 82, Set.of(VariantFormat.WEBP)), Libvips.load(SharpLibvips.library(), 1));

    static Stream<Arguments> corpus() {
        return Stream.of(
                rejected("PNG declaring 20000x20000 (bomb)", () -> Images.pngHeaderOnly(20_000, 20_000), FileType.PNG, "too-many-pixels"),
                rejected("GIF declaring 65535x65535 (bomb)", () -> gifHeaderOnly(65_535, 65_535), FileType.GIF, "too-many-pixels"),
                rejected("JPEG declaring 65000x65000 (bomb)", () -> jpegHeaderOnly(65_000, 65_000), FileType.JPEG, "too-many-pixels"),
                rejected("truncated JPEG", () -> half(Images.jpeg(noise(400, 300))), FileType.JPEG, "corrupt"),
                rejected("truncated PNG", () -> half(Images.png(noise(300, 300))), FileType.PNG, "corrupt"),
                rejected("zero bytes", () -> new byte[0], FileType.JPEG, "not-an-image"),
                rejected("one byte", () -> new byte[] {(byte) 0xFF}, FileType.JPEG, "not-an-image"),
                rejected("random bytes named .jpg", () -> random(10_000), FileType.JPEG, "not-an-image"),
                rejected("SVG with a script declared image/png", () -> ascii("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), FileType.PNG, "not-an-image"),
                rejected("HTML declared image/jpeg", () -> ascii("<!doctype html><script>alert(document.cookie)</script>"), FileType.JPEG, "not-an-image"),
                rejected("JPEG declared application/pdf", () -> Images.jpeg(Images.quadrants(64, 48)), FileType.PDF, "type-mismatch"),
                rejected("PDF declared image/png", () -> ascii("%PDF-1.7\n%%EOF\n"), FileType.PNG, "type-mismatch"),
                ready("GIF+HTML polyglot", () -> concat(gif(40, 30, 1), ascii("<html><script>alert(1)</script></html>")), FileType.GIF),
                ready("JPEG with a trailing ZIP", () -> concat(Images.jpeg(Images.quadrants(64, 48)), zip()), FileType.JPEG),
                ready("JPEG with a 60 KB EXIF block and GPS", () -> Images.withMetadata(Images.jpeg(Images.quadrants(64, 48)), 1, true, 60_000), FileType.JPEG),
                ready("orientation 0 (invalid)", () -> Images.withMetadata(Images.jpeg(Images.quadrants(64, 48)), 0, false, 0), FileType.JPEG),
                ready("orientation 9 (invalid)", () -> Images.withMetadata(Images.jpeg(Images.quadrants(64, 48)), 9, false, 0), FileType.JPEG),
                ready("orientation 65535 (invalid)", () -> Images.withMetadata(Images.jpeg(Images.quadrants(64, 48)), 65_535, false, 0), FileType.JPEG),
                ready("ICC profile of garbage", () -> Images.withSegment(Images.jpeg(Images.quadrants(64, 48)), 0xE2,
                        concat(ascii("ICC_PROFILE\0"), new byte[] {1, 1}, random(2_000))), FileType.JPEG),
                ready("1x50000", () -> Images.png(new BufferedImage(1, 50_000, BufferedImage.TYPE_BYTE_GRAY)), FileType.PNG),
                ready("50000x1", () -> Images.png(new BufferedImage(50_000, 1, BufferedImage.TYPE_BYTE_GRAY)), FileType.PNG),
                ready("16-bit grey PNG", () -> Images.png(new BufferedImage(80, 60, BufferedImage.TYPE_USHORT_GRAY)), FileType.PNG),
                ready("animated GIF with 1000 frames", () -> gif(20, 20, 1000), FileType.GIF),
                ready("CMYK JPEG with Adobe APP14 (inverted)", () -> Images.resource("cmyk-red-corner.jpg"), FileType.JPEG),
                eitherReadyOrCorrupt("bit-flipped JPEG", () -> flipBits(Images.jpeg(noise(200, 150)), 40), FileType.JPEG),
                eitherReadyOrCorrupt("bit-flipped PNG", () -> flipBits(Images.png(noise(120, 90)), 40), FileType.PNG));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("corpus")
    void everyCaseEndsAsExpected(String name, Supplier<byte[]> file, FileType declared, String expected) {
        byte[] bytes = file.get();

        MediaOutcome outcome = PIPELINE.process(bytes, declared);

        String actual = outcome instanceof MediaOutcome.Rejected rejected ? rejected.reason().code() : "ready";
        if (expected.equals("ready or corrupt")) {
            assertThat(actual).as(name).isIn("ready", "corrupt");
        } else {
            assertThat(actual).as(name).isEqualTo(expected);
        }
        if (outcome instanceof MediaOutcome.Image image) {
            for (MediaOutcome.Variant variant : image.variants()) {
                String text = new String(variant.bytes(), StandardCharsets.ISO_8859_1);
                assertThat(text).as(name + " " + variant.name()).doesNotContain("<script").doesNotContain("PK\u0003\u0004").doesNotContain("Exif");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void anAnimatedGifWith1000FramesSaysHowManyFramesItHad() {
        MediaOutcome.Image image = (MediaOutcome.Image) PIPELINE.process(gif(20, 20, 1000), FileType.GIF);

        assertThat(image.frames()).isEqualTo(1000);
        assertThat(image.animated()).isTrue();
    }

    private static Arguments rejected(String name, Supplier<byte[]> file, FileType declared, String reason) {
        return Arguments.of(name, file, declared, reason);
    }

    private static Arguments ready(String name, Supplier<byte[]> file, FileType declared) {
        return Arguments.of(name, file, declared, "ready");
    }

    private static Arguments eitherReadyOrCorrupt(String name, Supplier<byte[]> file, FileType declared) {
        return Arguments.of(name, file, declared, "ready or corrupt");
    }

    private static byte[] gifHeaderOnly(int width, int height) {
        ByteBuffer gif = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        gif.put(ascii("GIF89a")).putShort((short) width).putShort((short) height).put((byte) 0).put((byte) 0).put((byte) 0);
        gif.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height).put((byte) 0);
        gif.put((byte) 8).put((byte) 2).put((byte) 0x4C).put((byte) 0x01).put((byte) 0).put((byte) 0x3B);
        return Arrays.copyOf(gif.array(), gif.position());
    }

    private static byte[] jpegHeaderOnly(int width, int height) {
        ByteBuffer jpeg = ByteBuffer.allocate(64);
        jpeg.put(new byte[] {(byte) 0xFF, (byte) 0xD8});
        jpeg.put(new byte[] {(byte) 0xFF, (byte) 0xC0, 0, 17, 8}).putShort((short) height).putShort((short) width).put((byte) 3);
        for (int component = 1; component <= 3; component++) {
            jpeg.put((byte) component).put((byte) 0x11).put((byte) 0);
        }
        jpeg.put(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return Arrays.copyOf(jpeg.array(), jpeg.position());
    }

    private static byte[] gif(int width, int height, int frames) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < frames; i++) {
                    BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED);
                    frame.getRaster().setSample(i % width, 0, 0, i % 200);
                    IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(metadata.getNativeMetadataFormatName());
                    IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                    control.setAttribute("disposalMethod", "none");
                    control.setAttribute("userInputFlag", "FALSE");
                    control.setAttribute("transparentColorFlag", "FALSE");
                    control.setAttribute("delayTime", "2");
                    control.setAttribute("transparentColorIndex", "0");
                    root.appendChild(control);
                    metadata.setFromTree(metadata.getNativeMetadataFormatName(), root);
                    writer.writeToSequence(new IIOImage(frame, null, metadata), null);
                }
                writer.endWriteSequence();
            }
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] zip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("payload.html"));
            zip.write(ascii("<script>alert(1)</script>"));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] flipBits(byte[] bytes, int count) {
        byte[] flipped = bytes.clone();
        Random random = new Random(11);
        for (int i = 0; i < count; i++) {
            int at = 100 + random.nextInt(flipped.length - 100);
            flipped[at] ^= (byte) (1 << random.nextInt(8));
        }
        return flipped;
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(5);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0xFFFFFF));
            }
        }
        return image;
    }

    private static byte[] half(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length / 2);
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(9).nextBytes(bytes);
        bytes[0] = 0x13;
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
