package dev.mediagate.local;

import dev.mediagate.testing.RequiredTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** npm run in one of the project's Node.js packages, as a developer types it there; its output kept in a log file. */
final class NpmScripts {

    private NpmScripts() {
    }

    /** What the command printed and how it ended. */
    record Outcome(int exitCode, String output, Path log) {
    }

    static Outcome run(Path directory, Duration timeout, Map<String, String> environment, String... arguments) throws Exception {
        Path npm = RequiredTools.require("npm", "npm (Node.js 20 or newer; apt-get install npm)");
        List<String> command = new ArrayList<>(List.of(npm.toString()));
        command.addAll(List.of(arguments));
        Path logs = Checkout.ROOT.resolve("local/target/npm-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(directory.getFileName() + "-" + String.join("-", arguments).replaceAll("[^A-Za-z0-9-]", "") + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            return new Outcome(-1, Files.readString(log) + "\n(still running after " + timeout + ": stopped)", log);
        }
        return new Outcome(process.exitValue(), Files.readString(log), log);
    }
}
