package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An S3 body streamed into native memory: exactly the announced length, whatever the chunks it arrives in. */
class NativeBytesTest {

    @Test
    void holdsExactlyTheStreamsBytesAcrossManyChunks() throws Exception {
        byte[] data = new byte[200_003];
        new Random(7).nextBytes(data);

        try (NativeBytes bytes = NativeBytes.read(new ByteArrayInputStream(data), data.length)) {
            assertThat(bytes.length()).isEqualTo(data.length);
            byte[] back = new byte[data.length];
            bytes.view().get(0, back);
            assertThat(back).isEqualTo(data);
            assertThat(bytes.prefix(4)).containsExactly(data[0], data[1], data[2], data[3]);
        }
    }

    @Test
    void aStreamThatEndsEarlyIsAnErrorNotAShortFile() {
        assertThatThrownBy(() -> NativeBytes.read(new ByteArrayInputStream(new byte[10]), 11))
                .isInstanceOf(EOFException.class).hasMessageContaining("10 of 11");
    }

    @Test
    void aStreamWithMoreThanItsAnnouncedLengthIsAnError() {
        assertThatThrownBy(() -> NativeBytes.read(new ByteArrayInputStream(new byte[12]), 11))
                .isInstanceOf(IOException.class).hasMessageContaining("more than the 11 bytes");
    }

    @Test
    void anEmptyFileIsZeroBytesLong() throws Exception {
        try (NativeBytes bytes = NativeBytes.read(new ByteArrayInputStream(new byte[0]), 0)) {
            assertThat(bytes.length()).isZero();
            assertThat(bytes.prefix(64)).isEmpty();
        }
    }
}
