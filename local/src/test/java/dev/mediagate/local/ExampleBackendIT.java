package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * examples/backend's tests, as its README says to run them ({@code npm ci}, {@code npm test}): webhooks verified with
 * the Standard Webhooks reference library, applied once and newest-first; and the whole loop against the packaged
 * local stack started with {@code --webhook-url}: an upload with {@code @mediagate/client}, the backend's record kept
 * from the webhooks, its page of {@code <picture>}s with {@code POST /links} URLs that the CDN edge serves.
 */
class ExampleBackendIT {

    @Test
    void theExampleBackendClosesTheLoopFromUploadToPage() throws Exception {
        Path backend = Checkout.ROOT.resolve("examples/backend");
        Path jar = Checkout.ROOT.resolve("local/target/mediagate-local.jar");
        assertThat(jar).as("the packaged local stack (mvn package)").exists();
        Map<String, String> environment = Map.of("MEDIAGATE_LOCAL_JAR", jar.toString(),
                "MEDIAGATE_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());

        NpmScripts.Outcome install = NpmScripts.run(backend, Duration.ofMinutes(5), environment, "ci", "--no-audit", "--no-fund");
        assertThat(install.exitCode()).as("npm ci in examples/backend\n%s", install.output()).isZero();
        NpmScripts.Outcome test = NpmScripts.run(backend, Duration.ofMinutes(10), environment, "test");

        assertThat(test.exitCode()).as("npm test in examples/backend\n%s", test.output()).isZero();
        assertThat(test.output()).contains("# fail 0").containsPattern("# pass [1-9]");
        assertThat(Files.list(backend).filter(file -> file.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
}
