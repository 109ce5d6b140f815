package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code openapi.yaml} passes Redocly's strict recommended rules (local/api-docs/redocly.yaml): a warning fails it too. */
class OpenApiLintTest {

    @Test
    void theApiDescriptionPassesRedoclysStrictRules() throws Exception {
        NpmScripts.Outcome lint = NpmScripts.run(Checkout.ROOT.resolve("local/api-docs"), Duration.ofMinutes(2), Map.of(),
                "run", "--silent", "lint");

        assertThat(lint.exitCode()).as(lint.output()).isZero();
        assertThat(lint.output()).contains("Your API description is valid");
    }
}
