package dev.mediagate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void theEnvironmentIsTheProcessEnvironmentAloneAsLambdaSetsIt() {
        String name = "MEDIAGATE_SETTINGS_PROBE_" + System.nanoTime();
        System.setProperty(name, "from a system property");
        try {
            assertThat(Settings.fromEnvironment().optional(name)).isEmpty();
            assertThat(Settings.fromEnvironment().optional("PATH")).hasValue(System.getenv("PATH").trim());
        } finally {
            System.clearProperty(name);
        }
    }

    @Test
    void aBadValueNamesTheVariable() {
        Settings settings = new Settings(Map.of("MAX_UPLOAD_BYTES", "lots")::get);

        assertThatThrownBy(() -> settings.longInRange("MAX_UPLOAD_BYTES", 1, 1, 10))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MAX_UPLOAD_BYTES");
    }
}
