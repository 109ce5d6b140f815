package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** libheif is loaded only when LIBHEIF_PATH names it; allowing HEIC without it stops the resizer at init. */
class LibheifSettingsTest {

    @Test
    void withoutLibheifPathThereIsNoHeicDecoderAndTheDefaultTypesNeedNone() {
        assertThat(Libheif.from(settings(Map.of()))).isEmpty();
        assertThat(Libheif.from(settings(Map.of("LIBHEIF_PATH", " ",
                "ALLOWED_CONTENT_TYPES", "image/jpeg,image/png,image/webp,image/gif,application/pdf")))).isEmpty();
    }

    @Test
    void allowingHeicOrHeifWithoutTheLayerStopsTheResizerNamingTheVariable() {
        for (String types : new String[] {"image/jpeg,image/heic", "image/jpeg, IMAGE/HEIF"}) {
            assertThatThrownBy(() -> Libheif.from(settings(Map.of("ALLOWED_CONTENT_TYPES", types))))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("ALLOWED_CONTENT_TYPES").hasMessageContaining("HeicSupport=true");
        }
    }

    @Test
    void aLibheifPathWhereThereIsNoLibraryStopsTheResizer() {
        assertThatThrownBy(() -> Libheif.from(settings(Map.of("LIBHEIF_PATH", "/nonexistent/libheif.so.1"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/nonexistent/libheif.so.1");
    }

    private static Settings settings(Map<String, String> values) {
        return new Settings(values::get);
    }
}
