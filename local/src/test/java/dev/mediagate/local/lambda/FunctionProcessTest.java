package dev.mediagate.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A function in a JVM of its own answers its events, and is ended when one runs past the function's timeout. */
class FunctionProcessTest {

    /** Echoes its input, or sleeps as long as it says. */
    public static final class SleepyHandler implements RequestHandler<String, String> {
        @Override
        public String handleRequest(String input, Context context) {
            if (input.startsWith("sleep ")) {
                try {
                    Thread.sleep(Long.parseLong(input.substring(6)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return "done " + input + " in " + context.getFunctionName();
        }
    }

    @Test
    void answersEventsInItsOwnProcessAndKillsOneThatRunsPastItsTimeout() {
        try (FunctionProcess.Child child = new FunctionProcess.Child("SleepyFunction", SleepyHandler.class.getName(), 1, 128, Map.of())) {
            byte[] quick = child.invoke("\"hello\"".getBytes(StandardCharsets.UTF_8));

            assertThat(new String(quick, StandardCharsets.UTF_8)).isEqualTo("\"done hello in SleepyFunction\"");
            assertThatThrownBy(() -> child.invoke("\"sleep 5000\"".getBytes(StandardCharsets.UTF_8)))
                    .hasMessageContaining("SleepyFunction timed out after 1 seconds");
            assertThat(child.alive()).isFalse();
        }
    }
}
