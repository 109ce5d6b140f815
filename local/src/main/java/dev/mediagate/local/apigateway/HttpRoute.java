package dev.mediagate.local.apigateway;

import dev.mediagate.local.sam.SamTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code HttpApi} event of {@code template.yaml}: method, path template, the function it invokes, its authorizer
 * ({@link #NO_AUTHORIZER} for none) and the scopes a token needs on it.
 */
public record HttpRoute(String method, String path, String functionId, Pattern pattern, List<String> parameters, String authorizer,
        List<String> scopes) {

    public static final String NO_AUTHORIZER = "NONE";
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    public static List<HttpRoute> from(SamTemplate template) {
        List<HttpRoute> routes = new ArrayList<>();
        Map<String, Object> apiAuth = template.exists("HttpApi") ? SamTemplate.map(template.properties("HttpApi").get("Auth")) : Map.of();
        String defaultAuthorizer = String.valueOf(apiAuth.getOrDefault("DefaultAuthorizer", NO_AUTHORIZER));
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            for (Object value : SamTemplate.map(template.properties(function).get("Events")).values()) {
                Map<String, Object> event = SamTemplate.map(value);
                if ("HttpApi".equals(event.get("Type"))) {
                    Map<String, Object> properties = SamTemplate.map(event.get("Properties"));
                    Map<String, Object> auth = SamTemplate.map(properties.get("Auth"));
                    List<String> scopes = SamTemplate.list(auth.get("AuthorizationScopes")).stream().map(template::resolve).toList();
                    routes.add(of(template.resolve(properties.get("Method")).toUpperCase(java.util.Locale.ROOT),
                            template.resolve(properties.get("Path")), function,
                            String.valueOf(auth.getOrDefault("Authorizer", defaultAuthorizer)), scopes));
                }
            }
        }
        return routes;
    }

    static HttpRoute of(String method, String path, String functionId, String authorizer, List<String> scopes) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        Matcher matcher = PARAMETER.matcher(path);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(path.substring(last, matcher.start()))).append("([^/]+)");
            names.add(matcher.group(1));
            last = matcher.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        return new HttpRoute(method, path, functionId, Pattern.compile(regex.toString()), List.copyOf(names), authorizer,
                List.copyOf(scopes));
    }

    boolean needsToken() {
        return !NO_AUTHORIZER.equals(authorizer);
    }

    public String routeKey() {
        return method + " " + path;
    }

    /** The path parameters when this route serves the request path. */
    Optional<Map<String, String>> match(String requestPath) {
        Matcher matcher = pattern.matcher(requestPath);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            values.put(parameters.get(i), java.net.URLDecoder.decode(matcher.group(i + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return Optional.of(values);
    }
}
