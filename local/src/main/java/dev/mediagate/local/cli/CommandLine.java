package dev.mediagate.local.cli;

import dev.mediagate.local.LocalStack;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The local stack's command line, as the README documents it: options, their checks, and the usage text. */
public final class CommandLine {

    static final String USAGE = """
            usage: java -jar local/target/mediagate-local.jar [--data-dir DIR] [--api-port 3000] [--s3-port 9000] [--cdn-port 9100] [--webhook-url URL] [--template template.yaml]
                                                             [--parameter-overrides "Name=Value ..."]
                   java -jar local/target/mediagate-local.jar invoke <LogicalId> --event events/<file>.json [--data-dir DIR] [--template template.yaml]
                   java -jar local/target/mediagate-local.jar reprocess [--stale | --all] [--owner OWNER] [--data-dir DIR] [--parameter-overrides "Name=Value ..."]
                   java -jar local/target/mediagate-local.jar repair [--api-port 3000]    (the running stack's repair sweep, now)
                   java -jar local/target/mediagate-local.jar redrive [--api-port 3000]   (the running stack's resizer failure queue, back on its queue)
                   java -jar local/target/mediagate-local.jar lifecycle (--at 2026-12-20T00:00:00Z | --after 9d) [--api-port 3000]   (the running stack's S3 Lifecycle at a simulated time)""";

    private CommandLine() {
    }

    /** {@code invoke <LogicalId> --event FILE [stack options]}: which function, which event file, the stack's options. */
    record Invoke(String function, Path event, LocalStack.Options options) {
    }

    /** {@code reprocess [--stale | --all] [--owner OWNER] [stack options]}: {@code --stale} (the default) or every file. */
    record Reprocess(boolean all, Optional<String> owner, LocalStack.Options options) {
    }

    /** {@code lifecycle (--at INSTANT | --after DURATION) [--api-port PORT]}: the route's query and the stack's port. */
    record Lifecycle(String query, int apiPort) {
    }

    static Lifecycle lifecycle(List<String> args) {
        String at = null;
        String after = null;
        int port = 3000;
        for (int i = 0; i < args.size(); i++) {
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (args.get(i)) {
                case "--at" -> at = required("--at", value);
                case "--after" -> after = required("--after", value);
                case "--api-port" -> port = port("--api-port", value);
                default -> throw new IllegalArgumentException("lifecycle takes --at INSTANT or --after DURATION, and --api-port PORT, not " + args.get(i));
            }
            i++;
        }
        // Checked here too, so a typo is told before the stack is asked.
        dev.mediagate.local.s3.LocalLifecycle.instant(at, after, java.time.Instant.now());
        String query = at != null ? "at=" + java.net.URLEncoder.encode(at, java.nio.charset.StandardCharsets.UTF_8)
                : "after=" + java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8);
        return new Lifecycle(query, port);
    }

    static Reprocess reprocess(List<String> args) {
        boolean all = false;
        boolean stale = false;
        Optional<String> owner = Optional.empty();
        List<String> stackArgs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--all" -> all = true;
                case "--stale" -> stale = true;
                case "--owner" -> {
                    String value = required("--owner", i + 1 < args.size() ? args.get(++i) : null);
                    if (!value.matches("[a-z0-9]+")) {
                        throw new IllegalArgumentException("--owner takes an owner as GET /me gives it ([a-z0-9]), got '" + value + "'");
                    }
                    owner = Optional.of(value);
                }
                default -> stackArgs.add(args.get(i));
            }
        }
        if (all && stale) {
            throw new IllegalArgumentException("reprocess takes --stale or --all, not both");
        }
        return new Reprocess(all, owner, parse(stackArgs));
    }

    static Invoke invoke(List<String> args) {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            throw new IllegalArgumentException("invoke needs a function's logical id, e.g. invoke MediaApiFunction --event events/api-create-upload.json");
        }
        String function = args.get(0);
        Path event = null;
        List<String> stackArgs = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).equals("--event") && i + 1 < args.size()) {
                event = Path.of(args.get(++i));
            } else {
                stackArgs.add(args.get(i));
            }
        }
        if (event == null || !Files.isRegularFile(event)) {
            throw new IllegalArgumentException("invoke needs --event with an existing JSON file");
        }
        return new Invoke(function, event, parse(stackArgs));
    }

    /** The stack's options from its command line (what {@code --help} prints); unknown or malformed options are refused. */
    public static LocalStack.Options parse(List<String> args) {
        Path dataDir = Path.of(".mediagate");
        int apiPort = 3000;
        int s3Port = 9000;
        int cdnPort = 9100;
        Path template = Path.of("template.yaml");
        Optional<URI> webhookUrl = Optional.empty();
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (args.get(i)) {
                case "--data-dir" -> dataDir = Path.of(required(args.get(i), value));
                case "--api-port" -> apiPort = port(args.get(i), value);
                case "--s3-port" -> s3Port = port(args.get(i), value);
                case "--cdn-port" -> cdnPort = port(args.get(i), value);
                case "--template" -> template = Path.of(required(args.get(i), value));
                case "--webhook-url" -> webhookUrl = Optional.of(webhookUrl(required(args.get(i), value)));
                case "--parameter-overrides" -> parameters.putAll(parameterOverrides(required(args.get(i), value)));
                default -> throw new IllegalArgumentException("unknown option " + args.get(i) + " (--help lists the options)");
            }
            i++;
        }
        return new LocalStack.Options(dataDir.toAbsolutePath(), apiPort, s3Port, cdnPort, template.toAbsolutePath(), webhookUrl, true,
                Map.of(), Map.copyOf(parameters));
    }

    /** SAM's form: {@code Name=Value} pairs separated by spaces. */
    private static Map<String, String> parameterOverrides(String value) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : value.trim().split("\\s+")) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("--parameter-overrides takes Name=Value pairs separated by spaces, got '"
                        + pair + "'");
            }
            parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return parameters;
    }

    private static URI webhookUrl(String value) {
        try {
            URI url = new URI(value);
            if ((url.getScheme().equals("http") || url.getScheme().equals("https")) && url.getHost() != null) {
                return url;
            }
        } catch (java.net.URISyntaxException | NullPointerException e) {
            // reported below
        }
        throw new IllegalArgumentException("--webhook-url must be an http(s) URL");
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value (--help lists the options)");
        }
        return value;
    }

    static int port(String option, String value) {
        try {
            int port = Integer.parseInt(required(option, value));
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a port number (0 picks a free one)");
    }
}
