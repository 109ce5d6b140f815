package dev.mediagate.api.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.mediagate.core.files.Recipe;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A ready image's picture fields in the view, serialised as the API does (absent rather than null, but {@code focus}). */
class PictureFieldsTest {

    private static final ObjectMapper JSON = JsonMapper.builder().serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new SimpleModule("instants").addSerializer(Instant.class, ToStringSerializer.instance)).build();

    @Test
    void anAnimatedImageShowsItsFramesAndDurationAndItsFocus() {
        JsonNode view = JSON.valueToTree(view(new FileView.Picture("data:image/jpeg;base64,AA", "1QcSHQ", "#3a5f8c", true, 3, 600,
                new Recipe.Focus(0.9, 0.5))));

        assertThat(view.get("animated").asBoolean()).isTrue();
        assertThat(view.get("frames").asInt()).isEqualTo(3);
        assertThat(view.get("durationMs").asInt()).isEqualTo(600);
        assertThat(view.at("/focus/x").asDouble()).isEqualTo(0.9);
        assertThat(view.at("/focus/y").asDouble()).isEqualTo(0.5);
    }

    @Test
    void aStillImageSaysAnimatedFalseWithoutFramesAndFocusNull() {
        JsonNode view = JSON.valueToTree(view(new FileView.Picture("data:image/jpeg;base64,AA", "1QcSHQ", "#3a5f8c", false, null, null,
                null)));

        assertThat(view.get("animated").asBoolean(true)).isFalse();
        assertThat(view.has("frames")).isFalse();
        assertThat(view.has("durationMs")).isFalse();
        assertThat(view.has("focus")).isTrue();
        assertThat(view.get("focus").isNull()).isTrue();
    }

    private static FileView view(FileView.Picture picture) {
        return FileView.readyImage("f", "o", "private", "a.gif", "image/gif", 10, 400, 200, picture, new FileView.Link("https://cdn/o"),
                Map.of(), Map.of(), Instant.EPOCH);
    }
}
