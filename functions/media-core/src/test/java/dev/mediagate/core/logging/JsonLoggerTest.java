package dev.mediagate.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.MDC;

class JsonLoggerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesOneJsonObjectPerLineWithTheMdcAndTheKeyValuePairs() throws Exception {
        Logger log = LoggerFactory.getLogger("dev.mediagate.test");

        List<JsonNode> lines = captured(() -> {
            MDC.put("requestId", "r-1");
            try {
                log.atInfo().addKeyValue("status", 201).addKeyValue("path", "/uploads").log("{} {}", "POST", "/uploads");
            } finally {
                MDC.remove("requestId");
            }
        });

        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.get("message").asText()).isEqualTo("POST /uploads");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("level_value").asInt()).isEqualTo(20000);
        assertThat(line.get("logger_name").asText()).isEqualTo("dev.mediagate.test");
        assertThat(line.get("requestId").asText()).isEqualTo("r-1");
        assertThat(line.get("status").isInt()).isTrue();
        assertThat(line.get("path").asText()).isEqualTo("/uploads");
        assertThat(line.get("@timestamp").asText()).endsWith("Z");
    }

    @Test
    void escapesQuotesBackslashesNewlinesAndControlCharacters() throws Exception {
        String hostile = "a\"b\\c\nd\te\u0001f\u2028";

        List<JsonNode> lines = captured(() -> LoggerFactory.getLogger("mediagate.test").info(hostile));

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("message").asText()).isEqualTo(hostile);
    }

    @Test
    void librariesLogFromWarnAndMediagateFromInfo() throws Exception {
        List<JsonNode> lines = captured(() -> {
            LoggerFactory.getLogger("org.example.Library").info("quiet");
            LoggerFactory.getLogger("org.example.Library").warn("heard");
            LoggerFactory.getLogger("dev.mediagate.Code").debug("quiet");
            LoggerFactory.getLogger("dev.mediagate.Code").info("heard");
        });

        assertThat(lines).extracting(line -> line.get("message").asText()).containsExactly("heard", "heard");
    }

    @Test
    void followsLambdasApplicationLogLevelForMediagatesOwnCode() {
        Level debug = JsonLoggerFactory.level("DEBUG");
        Level error = JsonLoggerFactory.level("ERROR");

        assertThat(JsonLoggerFactory.threshold("dev.mediagate.resizer.MediaProcessor", debug)).isEqualTo(Level.DEBUG);
        assertThat(JsonLoggerFactory.threshold("software.amazon.awssdk.request", debug)).as("libraries stay at WARN").isEqualTo(Level.WARN);
        assertThat(JsonLoggerFactory.threshold("dev.mediagate.resizer.MediaProcessor", error)).isEqualTo(Level.ERROR);
        assertThat(JsonLoggerFactory.threshold("software.amazon.awssdk.request", error)).isEqualTo(Level.ERROR);
        assertThat(JsonLoggerFactory.level("FATAL")).isEqualTo(Level.ERROR);
        assertThat(JsonLoggerFactory.level(null)).isEqualTo(Level.INFO);
        assertThat(JsonLoggerFactory.level("bogus")).isEqualTo(Level.INFO);
    }

    @Test
    void writesTheStackTraceOfAnError() throws Exception {
        List<JsonNode> lines = captured(() ->
                LoggerFactory.getLogger("dev.mediagate.test").error("failed", new IllegalStateException("broken")));

        assertThat(lines.get(0).get("stack_trace").asText()).startsWith("java.lang.IllegalStateException: broken");
    }

    @Test
    void keepsTheFirstOfTwoFieldsWithTheSameNameSoTheLineStaysValidJson() throws Exception {
        List<JsonNode> lines = captured(() ->
                LoggerFactory.getLogger("dev.mediagate.test").atInfo().addKeyValue("message", "shadow").log("kept"));

        assertThat(lines.get(0).get("message").asText()).isEqualTo("kept");
    }

    private static List<JsonNode> captured(Runnable logging) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
