package dev.mediagate.local.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mediagate.local.HttpExchanges;
import dev.mediagate.local.LocalLog;
import dev.mediagate.local.lambda.FunctionHost;
import dev.mediagate.local.sam.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * API Gateway's HTTP API, locally: routes from {@code template.yaml}, the JWT authorizer (signature, iss, aud, exp),
 * each request turned into a payload 2.0 event for the real handler, and its response written back. The demo page and
 * the dev-only {@code /_local/*} routes share its port but not its code ({@link DevRoutes}).
 */
public final class ApiGateway implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private final HttpServer server;
    private final List<HttpRoute> routes;
    private final FunctionHost functions;
    private final Map<String, String> stageVariables;
    private final DevRoutes devRoutes = new DevRoutes();
    private final RouteThrottles throttles;
    private DevTokens tokens;

    /**
     * Binds the port (so its number is known before the functions are configured); serves from {@link #start}. The
     * routes, their throttles and the stage's variables are the template's.
     */
    public ApiGateway(int port, SamTemplate template, FunctionHost functions) throws IOException {
        this.routes = HttpRoute.from(template);
        this.throttles = RouteThrottles.from(template);
        this.stageVariables = stageVariables(template);
        this.functions = functions;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
    }

    /** The HTTP API's {@code StageVariables} in template.yaml, evaluated as CloudFormation would with these parameters. */
    public static Map<String, String> stageVariables(SamTemplate template) {
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        for (String api : template.logicalIdsOfType("AWS::Serverless::HttpApi")) {
            SamTemplate.map(template.properties(api).get("StageVariables"))
                    .forEach((name, value) -> variables.put(name, template.resolve(value)));
        }
        return variables;
    }

    /** What {@code POST /_local/redrive} runs: the resizer's failure queue back on its queue. */
    public void redriveWith(java.util.function.Supplier<String> redrive) {
        devRoutes.redriveWith(redrive);
    }

    /** What {@code POST /_local/lifecycle?at=…|after=…} runs: S3 Lifecycle at that simulated time; its JSON report. */
    /**
     * {@code POST /_local/reprocess}: {@code run} gets all-or-stale, the owner, and where to send each progress line;
     * it returns the summary line.
     */
    public void reprocessWith(ReprocessRun run) {
        devRoutes.reprocessWith(run::run);
    }

    /** The running stack's reprocessing, as {@code POST /_local/reprocess} calls it. */
    @FunctionalInterface
    public interface ReprocessRun {
        String run(boolean all, java.util.Optional<String> owner, java.util.function.Consumer<String> lines);
    }

    public void lifecycleWith(java.util.function.BiFunction<String, String, String> run) {
        devRoutes.lifecycleWith(run);
    }

    /** What {@code POST /_local/repair} runs: the repair sweep, now. */
    public void repairWith(java.util.function.Supplier<String> sweep) {
        devRoutes.repairWith(sweep);
    }

    public void start(DevTokens devTokens, Map<String, Object> localConfig, java.util.function.Supplier<List<JsonNode>> recentEvents) {
        this.tokens = devTokens;
        devRoutes.start(devTokens, localConfig, recentEvents);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        // What the log names: the route key, as API Gateway's access log does ($context.routeKey), never the path,
        // which for GET /shared/{token} is the share's secret. Dev routes carry no secret in their paths.
        String logged = method + " (no route)";
        try {
            if (devRoutes.serves(method, path)) {
                logged = method + " " + path;
                devRoutes.handle(exchange, method, path);
            } else {
                logged = route(exchange, method, path).orElse(logged);
            }
        } catch (RuntimeException e) {
            LocalLog.line("api", logged + " failed: " + e.getClass().getName());
            HttpExchanges.problem(exchange, 500, "Internal Server Error", "The local stack could not complete the request.");
        } finally {
            LocalLog.line("api", logged + " " + exchange.getResponseCode() + " " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
    }

    /** Answers the request; the key of the route it matched, if any. */
    private Optional<String> route(HttpExchange exchange, String method, String path) throws IOException {
        for (HttpRoute route : routes) {
            Optional<Map<String, String>> parameters = route.match(path);
            if (parameters.isEmpty()) {
                continue;
            }
            if (!route.method().equals(method)) {
                continue;
            }
            if (!throttles.admit(route.routeKey())) {
                // The route's bucket is empty: API Gateway answers before the authorizer or the function run, with
                // this body and no Retry-After (an HTTP API's throttle names no time to wait; the client's own backoff
                // decides: docs/scale.md). A dev route is never throttled, it does not exist in AWS.
                try (InputStream unread = exchange.getRequestBody()) {
                    unread.transferTo(OutputStream.nullOutputStream());
                }
                HttpExchanges.send(exchange, 429, "application/json",
                        "{\"message\":\"Too Many Requests\"}".getBytes(StandardCharsets.UTF_8));
                return Optional.of(route.routeKey());
            }
            Optional<Map<String, String>> claims = Optional.empty();
            if (route.needsToken()) {
                claims = tokens.verify(exchange.getRequestHeaders().getFirst("Authorization"));
                if (claims.isEmpty()) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    HttpExchanges.problem(exchange, 401, "Unauthorized", "A valid bearer token is required.");
                    return Optional.of(route.routeKey());
                }
                if (!route.scopes().isEmpty() && DevTokens.scopes(claims.get()).stream().noneMatch(route.scopes()::contains)) {
                    // A valid token with none of the route's AuthorizationScopes: API Gateway refuses it before the function.
                    HttpExchanges.problem(exchange, 403, "Forbidden", "This route is for service callers: the token needs the service scope.");
                    return Optional.of(route.routeKey());
                }
            }
            byte[] response = functions.invoke(route.functionId(), event(exchange, route, parameters.get(), claims));
            respond(exchange, JSON.readTree(response));
            return Optional.of(route.routeKey());
        }
        // API Gateway answers an unknown route, or a known path with another method, this way.
        HttpExchanges.send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
        return Optional.empty();
    }

    private byte[] event(HttpExchange exchange, HttpRoute route, Map<String, String> pathParameters, Optional<Map<String, String>> claims)
            throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Instant now = Instant.now();
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", route.routeKey());
        event.put("rawPath", exchange.getRequestURI().getRawPath());
        String rawQuery = exchange.getRequestURI().getRawQuery();
        event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        ObjectNode headers = event.putObject("headers");
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Cookie")) {
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
            }
        });
        // API Gateway tells the function how the caller reached it; here that is plain http on loopback.
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", String.valueOf(port()));
        Map<String, String> cookies = HttpExchanges.cookies(exchange);
        if (!cookies.isEmpty()) {
            var array = event.putArray("cookies");
            cookies.forEach((name, value) -> array.add(name + "=" + value));
        }
        Map<String, String> query = HttpExchanges.query(rawQuery);
        if (!query.isEmpty()) {
            ObjectNode parameters = event.putObject("queryStringParameters");
            query.forEach(parameters::put);
        }
        if (!pathParameters.isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            pathParameters.forEach(parameters::put);
        }
        if (!stageVariables.isEmpty()) {
            ObjectNode variables = event.putObject("stageVariables");
            stageVariables.forEach(variables::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", SamTemplate.LOCAL_ACCOUNT_ID);
        context.put("apiId", "local");
        if (claims.isPresent()) {
            ObjectNode jwt = context.putObject("authorizer").putObject("jwt");
            ObjectNode claimsNode = jwt.putObject("claims");
            claims.get().forEach(claimsNode::put);
            if (route.scopes().isEmpty()) {
                jwt.putNull("scopes");
            } else {
                var scopes = jwt.putArray("scopes");
                DevTokens.scopes(claims.get()).forEach(scopes::add);
            }
        }
        context.put("domainName", "127.0.0.1");
        context.put("domainPrefix", "127");
        ObjectNode http = context.putObject("http");
        http.put("method", exchange.getRequestMethod());
        http.put("path", exchange.getRequestURI().getRawPath());
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", Optional.ofNullable(exchange.getRequestHeaders().getFirst("User-Agent")).orElse(""));
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", route.routeKey());
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now.atOffset(ZoneOffset.UTC)));
        context.put("timeEpoch", now.toEpochMilli());
        boolean text = isText(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (body.length > 0) {
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        }
        event.put("isBase64Encoded", body.length > 0 && !text);
        return JSON.writeValueAsBytes(event);
    }

    private static boolean isText(String contentType) {
        return contentType == null || contentType.startsWith("text/") || contentType.contains("json")
                || contentType.contains("xml") || contentType.contains("x-www-form-urlencoded");
    }

    private static void respond(HttpExchange exchange, JsonNode response) throws IOException {
        int status = response.path("statusCode").asInt(502);
        JsonNode multi = response.path("multiValueHeaders");
        if (multi.isObject() && !multi.isEmpty()) {
            multi.properties().forEach(header -> header.getValue().forEach(value ->
                    exchange.getResponseHeaders().add(header.getKey(), value.asText())));
        } else {
            response.path("headers").properties().forEach(header ->
                    exchange.getResponseHeaders().set(header.getKey(), header.getValue().asText()));
        }
        response.path("cookies").forEach(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie.asText()));
        String body = response.path("body").asText("");
        byte[] bytes = response.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        HttpExchanges.send(exchange, status, null, bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
