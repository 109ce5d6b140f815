package dev.mediagate.local.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.mediagate.local.HttpExchanges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What the local API port serves besides the template's routes, and what no AWS service does: the demo page (your
 * frontend) with the client it runs on, the API's description and reference ({@link DevFiles}), and the dev-only
 * {@code /_local/*} routes (your identity provider's tokens, the stack's config, the event feed your backend would keep).
 */
final class DevRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCOPES = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E ]{0,512}");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final Map<String, Object> config = new LinkedHashMap<>();
    private DevTokens tokens;
    private Supplier<List<JsonNode>> recentEvents = List::of;
    private Supplier<String> repairSweep;
    private Supplier<String> redrive;
    private java.util.function.BiFunction<String, String, String> lifecycle;
    private Reprocessing reprocessing;

    /** The running stack's reprocessing: {@code all} or stale files, of one owner or all; progress and failures as lines. */
    @FunctionalInterface
    interface Reprocessing {
        String run(boolean all, java.util.Optional<String> owner, java.util.function.Consumer<String> lines);
    }

    void start(DevTokens devTokens, Map<String, Object> localConfig, Supplier<List<JsonNode>> recentEvents) {
        this.tokens = devTokens;
        this.recentEvents = recentEvents;
        config.putAll(localConfig);
    }

    void repairWith(Supplier<String> sweep) {
        this.repairSweep = sweep;
    }

    void redriveWith(Supplier<String> redrive) {
        this.redrive = redrive;
    }

    void reprocessWith(Reprocessing run) {
        this.reprocessing = run;
    }

    void lifecycleWith(java.util.function.BiFunction<String, String, String> run) {
        this.lifecycle = run;
    }

    boolean serves(String method, String path) {
        return path.startsWith("/_local/") || "GET".equals(method) && DevFiles.serves(path);
    }

    void handle(HttpExchange exchange, String method, String path) throws IOException {
        if (path.startsWith("/_local/")) {
            local(exchange, method, path);
        } else {
            devFile(exchange, path);
        }
    }

    private void local(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals("/_local/token")) {
            Map<String, String> query = HttpExchanges.query(exchange.getRequestURI().getRawQuery());
            String subject = query.getOrDefault("sub", "");
            String scope = query.getOrDefault("scope", "");
            if (!USER_NAME.matcher(subject).matches()) {
                HttpExchanges.problem(exchange, 400, "Invalid request", "sub must be 1-64 letters, digits or . _ @ -");
                return;
            }
            if (!SCOPES.matcher(scope).matches()) {
                HttpExchanges.problem(exchange, 400, "Invalid request", "scope must be space-separated scope tokens");
                return;
            }
            HttpExchanges.send(exchange, 200, "application/json",
                    JSON.writeValueAsBytes(Map.of("token", tokens.mint(subject, scope))));
        } else if (path.equals("/_local/config")) {
            HttpExchanges.send(exchange, 200, "application/json", JSON.writeValueAsBytes(config));
        } else if (path.equals("/_local/repair") && repairSweep != null) {
            // The repair sweep now, instead of at its next scheduled run: what the function returned.
            if (!postOnly(exchange, method, "POST /_local/repair runs the repair sweep")) {
                return;
            }
            HttpExchanges.send(exchange, 200, "application/json", repairSweep.get().getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/_local/redrive") && redrive != null) {
            // The resizer's failure queue back on its queue, as StartMessageMoveTask without a destination.
            if (!postOnly(exchange, method, "POST /_local/redrive redrives the resizer's failure queue")) {
                return;
            }
            HttpExchanges.send(exchange, 200, "application/json", redrive.get().getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/_local/lifecycle") && lifecycle != null) {
            // S3 Lifecycle on a simulated clock: what the buckets' rules would have expired by ?at=INSTANT or ?after=9d.
            if (!postOnly(exchange, method, "POST /_local/lifecycle?at=2026-12-20T00:00:00Z (or ?after=9d) runs the lifecycle")) {
                return;
            }
            Map<String, String> query = HttpExchanges.query(exchange.getRequestURI().getRawQuery());
            String report;
            try {
                report = lifecycle.apply(query.get("at"), query.get("after"));
            } catch (IllegalArgumentException e) {
                HttpExchanges.problem(exchange, 400, "Invalid request", e.getMessage());
                return;
            }
            HttpExchanges.send(exchange, 200, "application/json", report.getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/_local/reprocess") && reprocessing != null) {
            // `reprocess` beside the running stack: its own ReprocessFunction and bucket, so each file made again is
            // announced at once. Lines as they come (progress N/T, a failed file), the last one the summary.
            if (!postOnly(exchange, method, "POST /_local/reprocess?all=false&owner=OWNER reprocesses the stack's files")) {
                return;
            }
            Map<String, String> query = HttpExchanges.query(exchange.getRequestURI().getRawQuery());
            String all = query.getOrDefault("all", "false");
            String owner = query.get("owner");
            if (!all.equals("true") && !all.equals("false") || owner != null && !owner.matches("[a-z0-9]{1,64}")) {
                HttpExchanges.problem(exchange, 400, "Invalid request", "all is true or false; owner, when given, is an owner as GET /me gives it");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            try (var body = exchange.getResponseBody()) {
                java.util.function.Consumer<String> lines = line -> {
                    try {
                        body.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        body.flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                };
                lines.accept(reprocessing.run(Boolean.parseBoolean(all), java.util.Optional.ofNullable(owner), lines));
            }
        } else if (path.equals("/_local/events")) {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            HttpExchanges.send(exchange, 200, "application/json", JSON.writeValueAsBytes(recentEvents.get()));
        } else {
            HttpExchanges.send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The {@code /_local} commands change the stack: any other method is {@code 405} with {@code usage}. */
    private static boolean postOnly(HttpExchange exchange, String method, String usage) throws IOException {
        if ("POST".equals(method)) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "POST");
        HttpExchanges.problem(exchange, 405, "Method not allowed", usage);
        return false;
    }

    private static void devFile(HttpExchange exchange, String path) throws IOException {
        var file = DevFiles.find(path);
        if (file.isEmpty()) {
            HttpExchanges.send(exchange, 404, "text/plain", "not in this build".getBytes(StandardCharsets.UTF_8));
            return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        HttpExchanges.send(exchange, 200, file.get().contentType(), file.get().bytes());
    }
}
