package dev.mediagate.local;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.mediatype.ContentAnalyserFactory;
import io.vertx.openapi.mediatype.MediaTypePredicate;
import io.vertx.openapi.mediatype.MediaTypeRegistry;
import io.vertx.openapi.mediatype.impl.DefaultMediaTypeRegistration;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseParameter;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The top-level {@code openapi.yaml}, loaded by Vert.x OpenAPI (OpenAPI 3.1, JSON Schema 2020-12), and what it says of a
 * real request and its answer: an exchange the document does not describe (an undocumented route, status, field, media
 * type, a missing required header) is a violation.
 */
final class OpenApiDocument implements AutoCloseable {

    static final Path PATH = Checkout.ROOT.resolve("openapi.yaml");
    private static final String PROBLEM_JSON = "application/problem+json";

    private final Vertx vertx;
    private final OpenAPIContract contract;
    private final RequestValidator requests;
    private final ResponseValidator responses;

    private OpenApiDocument(Vertx vertx, OpenAPIContract contract) {
        this.vertx = vertx;
        this.contract = contract;
        this.requests = RequestValidator.create(vertx, contract);
        this.responses = ResponseValidator.create(vertx, contract);
    }

    static OpenApiDocument load() throws Exception {
        Vertx vertx = Vertx.vertx();
        // problem+json is JSON: its bodies are validated against their schemas as application/json's are.
        MediaTypeRegistry mediaTypes = MediaTypeRegistry.createDefault().register(new DefaultMediaTypeRegistration(
                MediaTypePredicate.ofExactTypes(PROBLEM_JSON), ContentAnalyserFactory.json()));
        OpenAPIContract contract = OpenAPIContract.builder(vertx).setContractPath(PATH.toString()).mediaTypeRegistry(mediaTypes)
                .build().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new OpenApiDocument(vertx, contract);
    }

    /** One request as sent ({@code target} is the path and query) and the answer it got. */
    record Exchange(String method, String target, String requestContentType, String requestBody, int status,
            Map<String, List<String>> responseHeaders, String responseBody) {

        @Override
        public String toString() {
            return method + " " + target + " -> " + status;
        }
    }

    /** The operation that serves this method and path, if the document has one. */
    Optional<Operation> operation(String method, String path) {
        return Optional.ofNullable(contract.findOperation(path, HttpMethod.valueOf(method)));
    }

    /** What the document does not describe in the request (when {@code checkRequest}) and in the answer; empty when it all matches. */
    List<String> violations(Exchange exchange, boolean checkRequest) {
        URI target = URI.create(exchange.target());
        Optional<Operation> operation = operation(exchange.method(), target.getRawPath());
        if (operation.isEmpty()) {
            return List.of(exchange + ": no operation of openapi.yaml serves " + exchange.method() + " " + target.getRawPath());
        }
        String operationId = operation.get().getOperationId();
        List<String> violations = new ArrayList<>();
        if (checkRequest) {
            failure(() -> requests.validate(request(exchange, target, operation.get()), operationId))
                    .ifPresent(message -> violations.add(exchange + " (" + operationId + "), request: " + message));
        }
        failure(() -> responses.validate(response(exchange), operationId))
                .ifPresent(message -> violations.add(exchange + " (" + operationId + "), answer: " + message
                        + " in " + abbreviated(exchange.responseBody())));
        return violations;
    }

    private static ValidatableRequest request(Exchange exchange, URI target, Operation operation) {
        Map<String, io.vertx.openapi.validation.RequestParameter> path = new HashMap<>();
        pathParameters(operation.getOpenAPIPath(), target.getRawPath()).forEach((name, value) -> path.put(name, new RequestParameterImpl(value)));
        Map<String, io.vertx.openapi.validation.RequestParameter> query = new HashMap<>();
        HttpExchanges.query(target.getRawQuery()).forEach((name, value) -> query.put(name, new RequestParameterImpl(value)));
        RequestParameterImpl body = exchange.requestBody() == null || exchange.requestBody().isEmpty()
                ? new RequestParameterImpl(null) : new RequestParameterImpl(Buffer.buffer(exchange.requestBody(), "UTF-8"));
        return new ValidatableRequestImpl(Map.of(), Map.of(), path, query, body, mediaType(exchange.requestContentType()));
    }

    /** The values of a path template's {@code {name}} segments in a request path (the operation was found by it). */
    private static Map<String, String> pathParameters(String template, String requestPath) {
        String[] names = template.split("/");
        String[] values = requestPath.split("/");
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < Math.min(names.length, values.length); i++) {
            if (names[i].startsWith("{") && names[i].endsWith("}")) {
                parameters.put(names[i].substring(1, names[i].length() - 1),
                        java.net.URLDecoder.decode(values[i], StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static ValidatableResponse response(Exchange exchange) {
        Map<String, ResponseParameter> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.responseHeaders().forEach((name, values) -> headers.put(name, new RequestParameterImpl(values.getFirst())));
        String contentType = exchange.responseHeaders().entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase("Content-Type")).map(header -> mediaType(header.getValue().getFirst()))
                .findFirst().orElse(null);
        String body = exchange.responseBody();
        Buffer content = body == null || body.isEmpty() ? null : Buffer.buffer(body.getBytes(StandardCharsets.UTF_8));
        // Vert.x's own factory lower-cases the header names, which the document's names then do not find.
        return new ValidatableResponse() {
            @Override
            public Map<String, ResponseParameter> getHeaders() {
                return headers;
            }

            @Override
            public ResponseParameter getBody() {
                return new RequestParameterImpl(content);
            }

            @Override
            public String getContentType() {
                return content == null ? null : contentType;
            }

            @Override
            public int getStatusCode() {
                return exchange.status();
            }
        };
    }

    private static String mediaType(String contentType) {
        return contentType == null ? null : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    private static Optional<String> failure(java.util.concurrent.Callable<io.vertx.core.Future<?>> validation) {
        try {
            validation.call().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SchemaValidationException schema) {
                return Optional.of(schema.getMessage() + " " + schema.getOutputUnit().getErrors());
            }
            return Optional.of(String.valueOf(cause.getMessage()));
        } catch (Exception e) {
            return Optional.of(e.toString());
        }
    }

    private static String abbreviated(String body) {
        return body == null ? "(no body)" : body.length() <= 600 ? body : body.substring(0, 600) + "…";
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
