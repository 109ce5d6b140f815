package dev.mediagate.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReprocessMessageTest {

    @Test
    void roundTripsAndLeavesS3NotificationsToTheirParser() {
        ReprocessMessage message = new ReprocessMessage("bucket", "originals/o/f", true);

        assertThat(ReprocessMessage.parse(message.toJson())).contains(message);
        assertThat(ReprocessMessage.parse("{\"reprocess\":{\"bucket\":\"b\",\"key\":\"originals/o/f\"}}"))
                .contains(new ReprocessMessage("b", "originals/o/f", false));
        assertThat(ReprocessMessage.parse("{\"Records\":[{\"s3\":{}}]}")).isEmpty();
        assertThat(ReprocessMessage.parse("{\"Event\":\"s3:TestEvent\"}")).isEmpty();
        assertThat(ReprocessMessage.parse("not json")).isEmpty();
    }

    @Test
    void aMalformedReprocessMessageSaysWhatIsWrong() {
        assertThatThrownBy(() -> ReprocessMessage.parse("{\"reprocess\":{\"bucket\":\"b\",\"key\":\"variants/o/f/manifest.json\"}}"))
                .hasMessageContaining("originals/");
        assertThatThrownBy(() -> ReprocessMessage.parse("{\"reprocess\":{\"bucket\":\"b\",\"key\":\"originals/o/f\",\"force\":\"true\"}}"))
                .hasMessageContaining("force");
        assertThatThrownBy(() -> ReprocessMessage.parse("{\"reprocess\":{\"key\":\"originals/o/f\"}}")).hasMessageContaining("bucket");
    }
}
