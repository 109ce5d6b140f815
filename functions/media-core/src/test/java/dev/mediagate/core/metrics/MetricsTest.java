package dev.mediagate.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void writesOneEmbeddedMetricFormatRecordPerLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Metrics metrics = new Metrics("image-resizer", new PrintStream(out, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.ofEpochMilli(1_795_255_200_000L), ZoneOffset.UTC));

        metrics.count("Rejections", Map.of("Reason", "corrupt"));

        String line = out.toString(StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").doesNotContain("\n{");
        JsonNode record = new ObjectMapper().readTree(line);
        assertThat(record.at("/_aws/Timestamp").asLong()).isEqualTo(1_795_255_200_000L);
        assertThat(record.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("mediagate");
        assertThat(record.at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString()).isEqualTo("[\"Function\",\"Reason\"]");
        assertThat(record.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText()).isEqualTo("Rejections");
        assertThat(record.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText()).isEqualTo("Count");
        assertThat(record.get("Function").asText()).isEqualTo("image-resizer");
        assertThat(record.get("Reason").asText()).isEqualTo("corrupt");
        assertThat(record.get("Rejections").asDouble()).isEqualTo(1.0);
    }
}
