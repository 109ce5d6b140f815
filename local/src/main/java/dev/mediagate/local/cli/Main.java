package dev.mediagate.local.cli;

import dev.mediagate.local.LocalInvoke;
import dev.mediagate.local.LocalStack;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar local/target/mediagate-local.jar}: the stack until Ctrl-C, printing one ready line; or
 * {@code invoke}, one function with one event. A bad option or a port in use ends it at once with one line saying why.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        try {
            if (!arguments.isEmpty() && arguments.get(0).equals("invoke")) {
                System.exit(invoke(arguments.subList(1, arguments.size())));
            }
            if (!arguments.isEmpty() && arguments.get(0).equals("reprocess")) {
                System.exit(reprocess(arguments.subList(1, arguments.size())));
            }
            if (!arguments.isEmpty() && (arguments.get(0).equals("repair") || arguments.get(0).equals("redrive"))) {
                System.exit(askTheRunningStack(arguments.get(0), arguments.subList(1, arguments.size())));
            }
            if (!arguments.isEmpty() && arguments.get(0).equals("lifecycle")) {
                System.exit(lifecycle(arguments.subList(1, arguments.size())));
            }
            if (arguments.contains("--help") || arguments.contains("-h")) {
                System.out.println(CommandLine.USAGE);
                return;
            }
            LocalStack stack = LocalStack.start(CommandLine.parse(arguments), Duration.ofSeconds(1));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.close();
                stopped.countDown();
            }));
            System.out.println(stack.readyLine());
            stopped.await();
        } catch (IllegalArgumentException e) {
            System.err.println(oneLine(e));
            System.exit(2);
        } catch (java.net.BindException e) {
            System.err.println("a port is already in use (is another local stack running?): " + e.getMessage()
                    + "; pick others with --api-port, --s3-port, --cdn-port");
            System.exit(1);
        } catch (Exception | Error e) {
            // Whatever stops the start (a missing class, a function's init error), one line and a non-zero exit: the
            // parts already running (S3Proxy's threads) would otherwise keep the JVM alive with nothing to serve.
            System.err.println("mediagate local stack could not start: " + oneLine(e));
            System.exit(1);
        }
    }

    /** A failure and its root cause on one line. */
    static String oneLine(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(failure.getMessage());
        String cause = root == failure ? "" : " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        return (message + cause).replaceAll("\\s+", " ").strip();
    }

    /** {@code reprocess [--stale | --all] [--owner OWNER] [options]}: 0 when every file succeeded or was current. */
    public static int reprocess(List<String> args) throws Exception {
        CommandLine.Reprocess reprocess = CommandLine.reprocess(args);
        java.util.Optional<java.net.URI> running = dev.mediagate.local.DataDirectoryLock.runningStackApi(reprocess.options().dataDir());
        if (running.isPresent()) {
            return reprocessOnTheRunningStack(running.get(), reprocess);
        }
        dev.mediagate.local.LocalReprocess.Summary summary = dev.mediagate.local.LocalReprocess.run(reprocess.all(),
                reprocess.owner(), reprocess.options());
        System.out.println(summary.line());
        return summary.failed() == 0 ? 0 : 1;
    }

    /**
     * {@code reprocess} while a stack runs on the data directory: that stack does it ({@code POST /_local/reprocess}),
     * with its own configuration and publisher, so each file made again is announced at once. Options that would
     * configure the reprocessing differently are refused: the stack runs with what it started with.
     */
    static int reprocessOnTheRunningStack(java.net.URI api, CommandLine.Reprocess reprocess) throws Exception {
        if (!reprocess.options().parameterOverrides().isEmpty()) {
            throw new IllegalArgumentException("a local stack is running on " + reprocess.options().dataDir() + " (API on " + api
                    + "): it reprocesses with the configuration it started with; restart it with these --parameter-overrides,"
                    + " or stop it and run reprocess with them");
        }
        String query = "all=" + reprocess.all() + reprocess.owner().map(owner -> "&owner=" + owner).orElse("");
        var request = java.net.http.HttpRequest.newBuilder(api.resolve("/_local/reprocess?" + query))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        System.err.println("a local stack is running on " + reprocess.options().dataDir() + ": it reprocesses (" + api + ")");
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<java.util.stream.Stream<String>> response = client.send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                System.err.println("the stack did not reprocess: HTTP " + response.statusCode() + " "
                        + String.join(" ", response.body().toList()));
                return 1;
            }
            String last = "";
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.startsWith("progress ")) {
                    String[] counts = line.substring("progress ".length()).split("/");
                    System.err.print("\r" + dev.mediagate.local.LocalReprocess.bar(Integer.parseInt(counts[0]), Integer.parseInt(counts[1])));
                } else if (line.startsWith("failed ")) {
                    System.err.println("\r" + line.substring("failed ".length()));
                } else {
                    last = line;
                }
            }
            System.err.println();
            System.out.println(last);
            java.util.regex.Matcher failed = java.util.regex.Pattern.compile(", (\\d+) failed,").matcher(last);
            return failed.find() && failed.group(1).equals("0") ? 0 : 1;
        }
    }

    /**
     * {@code repair [--api-port PORT]}: the running stack's repair sweep, now rather than at its next scheduled run
     * ({@code POST /_local/repair}); prints what the function returned. {@code redrive [--api-port PORT]}: the resizer's
     * failure queue ({@code DIR/dlq/}) back on its queue ({@code POST /_local/redrive}). The stack must be running: both
     * send to its resizer queue.
     */
    public static int askTheRunningStack(String command, List<String> args) throws Exception {
        int port = 3000;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--api-port") && i + 1 < args.size()) {
                port = CommandLine.port("--api-port", args.get(++i));
            } else {
                throw new IllegalArgumentException(command + " takes --api-port PORT only (the running stack's API port), not " + args.get(i));
            }
        }
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/_local/" + command))
                .timeout(Duration.ofMinutes(15)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        java.net.http.HttpResponse<String> response;
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            System.err.println("no local stack answers on 127.0.0.1:" + port + ": start it first (java -jar mediagate-local.jar), or name its --api-port");
            return 1;
        }
        if (response.statusCode() != 200) {
            System.err.println("the stack did not run " + command + ": HTTP " + response.statusCode() + " " + response.body());
            return 1;
        }
        System.out.println(response.body());
        return 0;
    }

    /**
     * {@code lifecycle (--at INSTANT | --after 9d) [--api-port PORT]}: the running stack's S3 Lifecycle at a simulated
     * time ({@code POST /_local/lifecycle}); prints what each rule expired, then the total. The stack must be running:
     * its expirations are deletes its functions hear of.
     */
    public static int lifecycle(List<String> args) throws Exception {
        CommandLine.Lifecycle lifecycle = CommandLine.lifecycle(args);
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + lifecycle.apiPort()
                + "/_local/lifecycle?" + lifecycle.query())).timeout(Duration.ofMinutes(15))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        java.net.http.HttpResponse<String> response;
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            System.err.println("no local stack answers on 127.0.0.1:" + lifecycle.apiPort() + ": start it first (java -jar mediagate-local.jar), or name its --api-port");
            return 1;
        }
        if (response.statusCode() != 200) {
            System.err.println("the stack did not run the lifecycle: HTTP " + response.statusCode() + " " + response.body());
            return 1;
        }
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        for (var rule : report.path("rules")) {
            StringBuilder line = new StringBuilder(rule.path("bucket").asText() + " " + rule.path("id").asText() + ": "
                    + rule.path("expired").asInt() + " expired");
            if (rule.has("notModelled")) {
                line.append(" (not modelled locally: ");
                rule.path("notModelled").forEach(action -> line.append(action.asText()).append(' '));
                line.setLength(line.length() - 1);
                line.append(')');
            }
            System.out.println(line);
        }
        System.out.println("lifecycle at " + report.path("at").asText() + ": " + report.path("expired").asInt() + " objects expired");
        return 0;
    }

    /** {@code invoke <LogicalId> --event FILE [options]}, as {@code sam local invoke}; 0 once the result is printed. */
    public static int invoke(List<String> args) throws Exception {
        CommandLine.Invoke invoke = CommandLine.invoke(args);
        return LocalInvoke.run(invoke.function(), invoke.event(), invoke.options());
    }
}
