package dev.mediagate.core.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FilenamesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unix path parts             | ../../etc/passwd          | passwd
            windows path parts          | C:\\Users\\me\\photo.jpg  | photo.jpg
            surrounding spaces          | '  photo.jpg  '           | photo.jpg
            only dots                   | ..                        | ''
            trailing separator          | photos/                   | ''
            """)
    void keepsOnlyTheLastPathPart(String rule, String raw, String expected) {
        assertThat(Filenames.sanitize(raw)).isEqualTo(expected);
    }

    @Test
    void removesControlCharactersAndBidiOverrides() {
        assertThat(Filenames.sanitize("in\u0000vo\u001Bice\u202E\u2066gpj.exe\u2069\u200F")).isEqualTo("invoicegpj.exe");
    }

    @Test
    void keepsEmojiJoinedWithZeroWidthJoiners() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67.png";

        assertThat(Filenames.sanitize(family)).isEqualTo(family);
    }

    @Test
    void normalisesToComposedForm() {
        assertThat(Filenames.sanitize("Cafe\u0301.jpg")).isEqualTo("Caf\u00E9.jpg");
    }

    @Test
    void removesAHiddenSeparatorBeforeSplittingPaths() {
        assertThat(Filenames.sanitize("../\u0000../x.jpg")).isEqualTo("x.jpg");
    }

    @Test
    void percentEncodesAsRfc5987AndDecodesBack() {
        String name = "Straße \"quoted\"; 🎉.jpg";

        String encoded = Filenames.percentEncode(name);

        assertThat(encoded).isEqualTo("Stra%C3%9Fe%20%22quoted%22%3B%20%F0%9F%8E%89.jpg").matches("[\\x21-\\x7e]+");
        assertThat(Filenames.percentDecode(encoded)).isEqualTo(name);
    }

    @Test
    void buildsAnAttachmentDisposition() {
        assertThat(Filenames.attachmentDisposition("a b.pdf")).isEqualTo("attachment; filename*=UTF-8''a%20b.pdf");
    }
}
