package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code @mediagate/client}'s own tests, as its developers run them ({@code npm test} in clients/js), against this
 * build's local stack: single PUT and multipart uploads in Node.js through a part the network fails, a resume after a
 * reload, an abort; the file calls and {@code <picture>}; in headless Chromium the same uploads and Uppy 5.x and 6.x.
 */
class ClientJsIT {

    @Test
    void theClientsTestsPassAgainstTheLocalStack() throws Exception {
        LocalStack stack = RunningStack.get();

        NpmScripts.Outcome test = NpmScripts.run(Checkout.ROOT.resolve("clients/js"), Duration.ofMinutes(15),
                Map.of("MEDIAGATE_API_URL", stack.apiUrl()), "test");

        assertThat(test.exitCode()).as("npm test in clients/js (log: %s)\n%s", test.log(), tail(test.output())).isZero();
        assertThat(test.output()).contains("# fail 0").containsPattern("# pass [1-9]");
    }

    private static String tail(String output) {
        return output.length() <= 20_000 ? output : output.substring(output.length() - 20_000);
    }
}
