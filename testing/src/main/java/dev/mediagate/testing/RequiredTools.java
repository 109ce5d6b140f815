package dev.mediagate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Outside programs some tests need. On a developer's machine a missing one skips that test with a message saying what
 * to install; under {@code CI=true} it fails the build, since a check that silently did not run proves nothing.
 */
public final class RequiredTools {

    private RequiredTools() {
    }

    /** The {@code mvn} on the PATH, as {@code sam build} runs it (not the wrapper); CI installs Debian's 3.8. */
    public static Path debianMaven() {
        return require("mvn", "Maven 3.8 as Debian and Ubuntu LTS ship it (apt-get install maven)");
    }

    /** The program on the PATH; fails under CI and skips elsewhere when it is not there. */
    public static Path require(String program, String what) {
        Optional<Path> found = onPath(program);
        String message = program + " is not on the PATH: this test needs " + what + " (.ci/run installs it)";
        if (inCi()) {
            assertThat(found).as(message).isPresent();
        } else {
            assumeThat(found).as("skipped: " + message).isPresent();
        }
        return found.orElseThrow();
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The program on the PATH, if there. */
    public static Optional<Path> which(String program) {
        return onPath(program);
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator)).filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, program)).filter(Files::isExecutable).findFirst();
    }
}
