package dev.mediagate.core.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.config.Settings;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzz target (Jazzer) for the upload request parser: whatever the body, it becomes a valid request or field errors,
 * never another exception. Without {@code JAZZER_FUZZ} it replays its regression inputs
 * ({@code src/test/resources/.../UploadRequestFuzzTestInputs}).
 */
class UploadRequestFuzzTest {

    private static final UploadPolicy POLICY = new UploadPolicy(UploadConfig.from(new Settings(Map.of("MEDIA_BUCKET", "mediagate-fuzz")::get)));
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "30s")
    void anyUploadRequestBodyIsAcceptedOrRefusedWithFieldErrors(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            UploadRequest request = POLICY.validate(JSON.readTree(text));
            assertThat(request.filename().getBytes(StandardCharsets.UTF_8).length).isBetween(1, 255);
            assertThat(request.filename()).doesNotContain("/").doesNotContain("\\").doesNotContain(String.valueOf((char) 0));
            assertThat(request.size()).isBetween(1L, UploadConfig.DEFAULT_MAX_UPLOAD_BYTES);
        } catch (JsonProcessingException | InvalidRequestException e) {
            // refused: exactly what bad input should get
        }
    }
}
