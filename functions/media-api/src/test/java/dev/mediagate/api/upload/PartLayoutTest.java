package dev.mediagate.api.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartLayoutTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void a64MiBFileIsEightPartsOf8MiB() {
        PartLayout layout = PartLayout.forSize(64 * MIB);

        assertThat(layout.partSize()).isEqualTo(8 * MIB);
        assertThat(layout.partCount()).isEqualTo(8);
        assertThat(layout.partBytes(8)).isEqualTo(8 * MIB);
    }

    @Test
    void theLastPartIsTheRemainder() {
        PartLayout layout = PartLayout.forSize(17 * MIB + 5);

        assertThat(layout.partCount()).isEqualTo(3);
        assertThat(layout.partBytes(1)).isEqualTo(8 * MIB);
        assertThat(layout.partBytes(3)).isEqualTo(MIB + 5);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 5 * MIB, 80 * 1024 * MIB, 5L * 1024 * 1024 * MIB - 1, 5L * 1024 * 1024 * MIB})
    void everySizeUpTo5TiBFitsS3sLimitsInWholeMebibytes(long size) {
        PartLayout layout = PartLayout.forSize(size);

        assertThat(layout.partCount()).isBetween(1, 10_000);
        assertThat(layout.partSize()).isGreaterThanOrEqualTo(8 * MIB).isLessThanOrEqualTo(5L * 1024 * MIB);
        assertThat(layout.partSize() % MIB).isZero();
        assertThat((layout.partCount() - 1) * layout.partSize() + layout.partBytes(layout.partCount())).isEqualTo(size);
        assertThat(layout.partBytes(layout.partCount())).isPositive();
    }
}
