package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.FileType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** HEIC and HEIF are told apart by their {@code ftyp} brands; AVIF, which is a HEIF too, is neither. */
class HeifSniffingTest {

    @Test
    void anHevcBrandMakesAHeicWhereverItIsListed() {
        assertThat(FormatSniffer.sniff(ftyp("heic", "mif1", "heic", "miaf"))).hasValue(FileType.HEIC);
        assertThat(FormatSniffer.sniff(ftyp("mif1", "mif1", "heic"))).hasValue(FileType.HEIC);
        assertThat(FormatSniffer.sniff(ftyp("heix", "mif1"))).hasValue(FileType.HEIC);
        assertThat(FormatSniffer.sniff(ftyp("msf1", "msf1", "hevc"))).hasValue(FileType.HEIC);
    }

    @Test
    void aStructuralBrandAloneMakesAHeifAndAvifOrAnotherIsoFileIsNeither() {
        assertThat(FormatSniffer.sniff(ftyp("mif1", "mif1", "miaf"))).hasValue(FileType.HEIF);
        assertThat(FormatSniffer.sniff(ftyp("msf1", "msf1"))).hasValue(FileType.HEIF);
        assertThat(FormatSniffer.sniff(ftyp("avif", "mif1", "miaf", "avif"))).isEmpty();
        assertThat(FormatSniffer.sniff(ftyp("isom", "isom", "mp41"))).as("an MP4").isEmpty();
        assertThat(FormatSniffer.sniff(ftyp("heic").clone())).hasValue(FileType.HEIC);
        byte[] badSize = ftyp("heic", "mif1");
        badSize[3] = 5;
        assertThat(FormatSniffer.sniff(badSize)).isEqualTo(Optional.empty());
    }

    @Test
    void aHeicMayBeDeclaredImageHeifButNotTheOtherWayRound() {
        assertThat(FormatSniffer.matches(FileType.HEIF, FileType.HEIC)).isTrue();
        assertThat(FormatSniffer.matches(FileType.HEIC, FileType.HEIF)).isFalse();
        assertThat(FormatSniffer.matches(FileType.JPEG, FileType.HEIC)).isFalse();
        assertThat(FormatSniffer.matches(FileType.HEIC, FileType.HEIC)).isTrue();
    }

    /** An ftyp box (minor version 0) followed by the start of a meta box, as a HEIF begins. */
    private static byte[] ftyp(String major, String... compatible) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int size = 16 + 4 * compatible.length;
        out.writeBytes(new byte[] {0, 0, 0, (byte) size});
        out.writeBytes("ftyp".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(major.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[4]);
        for (String brand : compatible) {
            out.writeBytes(brand.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(new byte[] {0, 0, 0, 0x22, 'm', 'e', 't', 'a', 0, 0, 0, 0});
        return out.toByteArray();
    }
}
