package dev.mediagate.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.imaging.VariantSpec.Crop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VariantSpecTest {

    @Test
    void theGrammarTakesFitCoverAndTheTwoInterestFinders() {
        assertThat(VariantSpec.parseList("VARIANTS", "thumb=320x320,avatar=128x128:cover,card=600x315:cover:attention,"
                + "face=96x96:cover:entropy")).containsExactly(
                new VariantSpec("thumb", 320, 320, Crop.NONE),
                new VariantSpec("avatar", 128, 128, Crop.CENTRE),
                new VariantSpec("card", 600, 315, Crop.ATTENTION),
                new VariantSpec("face", 96, 96, Crop.ENTROPY));
    }

    @Test
    void eachSpecWritesItselfBackAsItWasWritten() {
        String text = "thumb=320x320,avatar=128x128:cover,card=600x315:cover:attention,face=96x96:cover:entropy";

        assertThat(VariantSpec.parseList("VARIANTS", text)).extracting(VariantSpec::text)
                .containsExactly(text.split(","));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=10x10:attention", "a=10x10:cover:centre", "a=10x10:cover:Attention", "a=10x10:cover:", "a=10x10:fill"})
    void anythingElseAfterTheBoxIsRefusedNamingTheGrammar(String item) {
        assertThatThrownBy(() -> VariantSpec.parseList("VARIANTS", item)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("VARIANTS").hasMessageContaining("name=WIDTHxHEIGHT[:cover[:attention|:entropy]]");
    }
}
