package dev.mediagate.repair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * What the sweep remembers between runs, one small object in the inventory bucket: the report it last worked on, the
 * window of landing times it checks in that report, and, when a run stopped at its bound, the last original it
 * handled (the next run goes on after it). A report finished ({@code resumeAfter} null) is not read again.
 */
record SweepCursor(String report, Instant windowStart, Instant windowEnd, String resumeAfter) {

    private static final ObjectMapper JSON = new ObjectMapper();

    boolean finished(String newestReport) {
        return report.equals(newestReport) && resumeAfter == null;
    }

    byte[] toJson() {
        ObjectNode node = JSON.createObjectNode().put("report", report).put("windowStart", windowStart.toString())
                .put("windowEnd", windowEnd.toString());
        if (resumeAfter != null) {
            node.put("resumeAfter", resumeAfter);
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Empty when there is no usable cursor (first run, or an object an operator broke: the sweep starts afresh). */
    static Optional<SweepCursor> parse(byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            String resumeAfter = node.path("resumeAfter").isTextual() ? node.path("resumeAfter").asText() : null;
            return Optional.of(new SweepCursor(node.path("report").asText(), Instant.parse(node.path("windowStart").asText()),
                    Instant.parse(node.path("windowEnd").asText()), resumeAfter));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
