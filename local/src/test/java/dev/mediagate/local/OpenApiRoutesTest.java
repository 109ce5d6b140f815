package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.local.apigateway.HttpRoute;
import dev.mediagate.local.sam.SamTemplate;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code openapi.yaml} describes every route {@code template.yaml} declares and only those: the same methods and paths,
 * each operation named after the route's event (the template's {@code CreateUpload} is {@code createUpload}), the same
 * authorizer and scopes, and the errors every route of its kind can answer. A route added to the template without its
 * description (or a description left behind) fails here.
 */
class OpenApiRoutesTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private final SamTemplate template = SamTemplate.load(Checkout.ROOT.resolve("template.yaml"));
    private final Map<String, Object> document = openApi();

    /** What a route promises: its operation's name, who may call it. */
    private record Route(String operationId, String security) {
    }

    @Test
    void everyRouteOfTheTemplateIsDescribedAndNothingElse() {
        assertThat(document.get("openapi")).asString().startsWith("3.1.");
        Map<String, Route> declared = declared();
        Map<String, Route> described = described();
        List<String> differences = new ArrayList<>();
        declared.forEach((route, promise) -> {
            if (!described.containsKey(route)) {
                differences.add(route + " is declared by template.yaml but not described in openapi.yaml");
            } else if (!described.get(route).equals(promise)) {
                differences.add(route + " is " + promise + " in template.yaml but " + described.get(route) + " in openapi.yaml");
            }
        });
        described.keySet().stream().filter(route -> !declared.containsKey(route))
                .forEach(route -> differences.add(route + " is described in openapi.yaml but template.yaml declares no such route"));
        assertThat(differences).isEmpty();
        assertThat(declared).hasSizeGreaterThan(20);
    }

    @Test
    void everyOperationDescribesTheErrorsItsRouteCanAnswer() {
        List<String> missing = new ArrayList<>();
        operations().forEach((key, operation) -> {
            Set<String> statuses = SamTemplate.map(operation.get("responses")).keySet();
            Set<String> expected = new TreeSet<>(Set.of("429", "500"));
            boolean anonymous = List.of().equals(operation.get("security"));
            if (!anonymous) {
                expected.add("401");
            }
            if (String.valueOf(operation.get("security")).contains("mediagate/service")) {
                expected.add("403");
            }
            if (key.contains("{fileId}") || key.contains("{token}")) {
                expected.add("404");
            }
            if (operation.containsKey("requestBody")) {
                expected.addAll(List.of("400", "413", "415"));
            }
            expected.stream().filter(status -> !statuses.contains(status)).forEach(status -> missing.add(key + " " + status));
        });
        assertThat(missing).as("operations without the error their route can answer").isEmpty();
    }

    /** {@code METHOD /path} of every HttpApi event in the template, with its event's name and authorization. */
    private Map<String, Route> declared() {
        Map<String, Route> routes = new TreeMap<>();
        Object defaultAuthorizer = SamTemplate.map(template.properties("HttpApi").get("Auth")).get("DefaultAuthorizer");
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            SamTemplate.map(template.properties(function).get("Events")).forEach((name, value) -> {
                Map<String, Object> event = SamTemplate.map(value);
                if ("HttpApi".equals(event.get("Type"))) {
                    Map<String, Object> properties = SamTemplate.map(event.get("Properties"));
                    Map<String, Object> auth = SamTemplate.map(properties.get("Auth"));
                    String authorizer = String.valueOf(auth.getOrDefault("Authorizer", defaultAuthorizer));
                    List<String> scopes = SamTemplate.list(auth.get("AuthorizationScopes")).stream().map(template::resolve).toList();
                    String security = HttpRoute.NO_AUTHORIZER.equals(authorizer) ? "anyone" : "bearer token" + scopes;
                    routes.put(template.resolve(properties.get("Method")).toUpperCase(Locale.ROOT) + " " + template.resolve(properties.get("Path")),
                            new Route(Character.toLowerCase(name.charAt(0)) + name.substring(1), security));
                }
            });
        }
        return routes;
    }

    private Map<String, Route> described() {
        List<?> globalSecurity = (List<?>) document.get("security");
        Map<String, Route> routes = new TreeMap<>();
        operations().forEach((key, operation) -> {
            List<?> security = (List<?>) operation.getOrDefault("security", globalSecurity);
            String who = security.isEmpty() ? "anyone" : "bearer token" + SamTemplate.list(SamTemplate.map(security.getFirst()).get("bearerJwt"));
            routes.put(key, new Route(String.valueOf(operation.get("operationId")), who));
        });
        return routes;
    }

    private Map<String, Map<String, Object>> operations() {
        Map<String, Map<String, Object>> operations = new TreeMap<>();
        SamTemplate.map(document.get("paths")).forEach((path, item) -> SamTemplate.map(item).forEach((method, operation) -> {
            if (METHODS.contains(method)) {
                operations.put(method.toUpperCase(Locale.ROOT) + " " + path, SamTemplate.map(operation));
            }
        }));
        return operations;
    }

    private static Map<String, Object> openApi() {
        try {
            return new Yaml().load(Files.readString(OpenApiDocument.PATH));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
