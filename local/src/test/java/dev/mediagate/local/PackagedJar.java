package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The packaged stack as a user runs it ({@code java -jar local/target/mediagate-local.jar}), its output kept line by line. */
final class PackagedJar {

    static final Path JAR = Checkout.ROOT.resolve("local/target/mediagate-local.jar");
    static final String READY = "mediagate local stack ready:";

    private final List<String> output = new CopyOnWriteArrayList<>();

    /** {@code java -jar} with these arguments, from the checkout's root, as the README runs it. */
    static List<String> command(List<String> arguments) {
        assertThat(JAR).as("the packaged stack (./mvnw package)").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString()));
        command.addAll(arguments);
        return command;
    }

    /** Starts the stack and waits for its ready line. */
    Process start(List<String> flags) throws Exception {
        Process process = new ProcessBuilder(command(flags)).directory(Checkout.ROOT.toFile()).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofVirtual().start(() -> {
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        int from = lines();
        await(() -> since(from).stream().anyMatch(line -> line.startsWith(READY)) || !process.isAlive(), "the stack to start");
        assertThat(process.isAlive()).as("the stack started: " + since(from)).isTrue();
        return process;
    }

    /** How many output lines the stacks started here have printed so far. */
    int lines() {
        return output.size();
    }

    /** The output lines from index {@code from} on, as they are now. */
    List<String> since(int from) {
        List<String> now = List.copyOf(output);
        return now.subList(Math.min(from, now.size()), now.size());
    }

    /** Ctrl-C: the shutdown hook closes the stack (and releases its data directory). */
    static void stop(Process stack) throws InterruptedException {
        stack.destroy();
        assertThat(stack.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs. Its resizer JVMs end with it (their stdin closes). */
    static void kill(Process stack) throws InterruptedException {
        List<ProcessHandle> children = stack.descendants().toList();
        stack.destroyForcibly();
        assertThat(stack.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (ProcessHandle child : children) {
            child.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> {
                child.destroyForcibly();
                return child;
            }).join();
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
