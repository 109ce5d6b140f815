package dev.mediagate.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.InvalidRequestException;
import dev.mediagate.core.MediaType;
import dev.mediagate.core.Settings;
import dev.mediagate.core.UploadConfig;
import dev.mediagate.core.UploadPolicy;
import dev.mediagate.core.UploadRequest;
import dev.mediagate.core.image.FormatSniffer;
import dev.mediagate.core.image.ImagePipeline;
import dev.mediagate.core.image.MediaOutcome;
import dev.mediagate.core.image.ResizeConfig;
import dev.mediagate.core.image.VariantSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzz targets (Jazzer). Under {@code ./mvnw verify} each runs for a bounded time (see the README); without
 * {@code JAZZER_FUZZ} they replay their regression inputs from {@code src/test/resources/.../ImageFuzzTestInputs}.
 * The property: whatever the bytes, the code answers (an outcome or a field error) and never throws anything else.
 */
class ImageFuzzTest {

    private static final ImagePipeline PIPELINE = new ImagePipeline(new ResizeConfig(
            VariantSpec.parseList("VARIANTS", "thumb=64x64,square=32x32:cover"), 4_000_000L, 82));
    private static final UploadPolicy POLICY = new UploadPolicy(UploadConfig.from(new Settings(Map.of("MEDIA_BUCKET", "mediagate-fuzz")::get)));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** No pixel allowed: every image is refused right after its header, so this fuzzes the sniffer and header readers. */
    private static final ImagePipeline HEADER_ONLY = new ImagePipeline(new ResizeConfig(
            VariantSpec.parseList("VARIANTS", "thumb=64x64"), 0L, 82));

    @FuzzTest(maxDuration = "30s")
    void readingTheHeaderOfAnyBytesEndsInAnOutcome(byte[] bytes) {
        MediaType declared = FormatSniffer.sniff(bytes).orElse(MediaType.PNG);

        MediaOutcome outcome = HEADER_ONLY.process(bytes, declared);

        assertThat(outcome).isNotInstanceOf(MediaOutcome.Image.class);
    }

    @FuzzTest(maxDuration = "30s")
    void sniffingAndDecodingAnyBytesEndsInAnOutcome(byte[] bytes) {
        MediaType declared = FormatSniffer.sniff(bytes).orElse(MediaType.JPEG);

        MediaOutcome outcome = PIPELINE.process(bytes, declared);

        assertThat(outcome).isNotNull();
        if (outcome instanceof MediaOutcome.Image image) {
            image.variants().forEach(variant -> assertThat(variant.width()).isBetween(1, 64));
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyUploadRequestBodyIsAcceptedOrRefusedWithFieldErrors(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            UploadRequest request = POLICY.validate(JSON.readTree(text));
            assertThat(request.filename().getBytes(StandardCharsets.UTF_8).length).isBetween(1, 255);
            assertThat(request.filename()).doesNotContain("/").doesNotContain("\\\\").doesNotContain("\\u0000");
            assertThat(request.size()).isBetween(1L, UploadConfig.DEFAULT_MAX_UPLOAD_BYTES);
        } catch (JsonProcessingException | InvalidRequestException e) {
            // refused: exactly what bad input should get
        }
    }
}
