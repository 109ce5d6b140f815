package dev.mediagate.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.local.LocalStack;
import dev.mediagate.local.sam.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncInvokerTest {

    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    /** A function that fails every time. */
    public static class AlwaysFails implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            ATTEMPTS.incrementAndGet();
            throw new IllegalStateException("injected failure");
        }
    }

    @TempDir
    Path data;

    @Test
    void retriesAFailingEventTwiceThenWritesItToTheDeadLetterFolder() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of(getClass().getResource("/failing-template.yaml").toURI()));
        try (AsyncInvoker invoker = new AsyncInvoker(new FunctionHost(template, LocalStack.INSTANCES_PER_FUNCTION, false), data.resolve("dlq"), Duration.ofMillis(20), 1)) {
            ATTEMPTS.set(0);

            invoker.submit("FailingFunction", "{\"Records\":[]}".getBytes(StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (invoker.pending() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            assertThat(ATTEMPTS.get()).isEqualTo(1 + AsyncInvoker.RETRIES);
            List<Path> letters;
            try (Stream<Path> files = Files.list(data.resolve("dlq"))) {
                letters = files.toList();
            }
            assertThat(letters).hasSize(1);
            JsonNode letter = new ObjectMapper().readTree(letters.get(0).toFile());
            assertThat(letter.get("function").asText()).isEqualTo("FailingFunction");
            assertThat(letter.get("attempts").asInt()).isEqualTo(3);
            assertThat(letter.get("error").asText()).contains("injected failure");
            assertThat(letter.at("/event/Records").isArray()).isTrue();
        }
    }
}
