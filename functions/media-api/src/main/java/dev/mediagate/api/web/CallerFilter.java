package dev.mediagate.api.web;

import com.amazonaws.serverless.proxy.RequestReader;
import com.amazonaws.serverless.proxy.model.HttpApiV2AuthorizerMap;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequestContext;
import dev.mediagate.core.files.Owner;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses any event without the JWT claims API Gateway's authorizer adds (defence in depth behind the authorizer),
 * derives the {@link Owner} from {@code iss} + {@code sub}, refuses the service routes to a token without the service
 * scope (as the route's {@code AuthorizationScopes} do), all decided on the event's route key (never the raw path,
 * see {@link ApiPaths}), and writes one access-log line per request, naming the route
 * key and never the path (a share link's path is its secret). Share links
 * ({@code /shared/…}) carry no token: they are answered without an owner, never cached, never sent on as a referrer.
 */
final class CallerFilter extends OncePerRequestFilter {

    static final String OWNER_ATTRIBUTE = Owner.class.getName();
    static final String SERVICE_ATTRIBUTE = CallerFilter.class.getName() + ".service";
    /** The route key the checks above were decided on; {@link RouteKeyCheck} holds the matched handler to it. */
    static final String ROUTE_KEY_ATTRIBUTE = CallerFilter.class.getName() + ".routeKey";
    /** Every request body of this API is a few hundred bytes of JSON; anything far larger is refused unread. */
    static final long MAX_BODY_BYTES = 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger("mediagate.access");

    private final String serviceScope;

    CallerFilter(String serviceScope) {
        this.serviceScope = serviceScope;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        Optional<HttpApiV2ProxyRequestContext> context = httpApiContext(request);
        context.map(HttpApiV2ProxyRequestContext::getRequestId).ifPresent(id -> MDC.put("requestId", id));
        Optional<Owner> owner = context.flatMap(CallerFilter::owner);
        Optional<String> routeKey = context.map(HttpApiV2ProxyRequestContext::getRouteKey).filter(key -> key.contains(" /"));
        try {
            if (routeKey.isEmpty()) {
                // API Gateway names the route it matched in every event; without one nothing says which checks apply.
                writeProblem(response, HttpServletResponse.SC_NOT_FOUND, "Not Found", "No such route.");
            } else if (routeKey.get().equals(ApiPaths.SHARE_ROUTE_KEY)) {
                request.setAttribute(ROUTE_KEY_ATTRIBUTE, routeKey.get());
                response.setHeader("Cache-Control", "private, no-store");
                response.setHeader("Referrer-Policy", "no-referrer");
                chain.doFilter(request, response);
            } else if (owner.isEmpty()) {
                writeUnauthorized(response);
            } else if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                writeProblem(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Payload Too Large",
                        "The request body must be at most " + MAX_BODY_BYTES + " bytes.");
            } else if (ApiPaths.isServiceRoute(routeKey.get()) && !hasScope(context.get(), serviceScope)) {
                writeProblem(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden",
                        "This route is for service callers: the token needs the service scope.");
            } else {
                MDC.put("owner", owner.get().value());
                request.setAttribute(ROUTE_KEY_ATTRIBUTE, routeKey.get());
                request.setAttribute(OWNER_ATTRIBUTE, owner.get());
                request.setAttribute(SERVICE_ATTRIBUTE, ApiPaths.isServiceRoute(routeKey.get()));
                chain.doFilter(request, response);
            }
        } finally {
            int status = response.getStatus();
            // The route key (GET /shared/{token}), never the path: a path carries share tokens, and would carry
            // whatever secret a future route puts there. The API's own access log names the route key too.
            String route = routeKey(context);
            log.atInfo()
                    .addKeyValue("route", route)
                    .addKeyValue("status", status)
                    .addKeyValue("outcome", status < 400 ? "success" : status < 500 ? "refused" : "error")
                    .addKeyValue("durationMs", (System.nanoTime() - started) / 1_000_000.0)
                    .log("{} {}", route, status);
            MDC.remove("owner");
            MDC.remove("fileId");
            MDC.remove("requestId");
        }
    }

    /** The event's route key as API Gateway matched it; an event without one names its method only. */
    static String routeKey(Optional<HttpApiV2ProxyRequestContext> context) {
        return context.map(HttpApiV2ProxyRequestContext::getRouteKey).filter(key -> !key.isBlank())
                .orElse("(no route key)");
    }

    private static Optional<HttpApiV2ProxyRequestContext> httpApiContext(HttpServletRequest request) {
        return Optional.ofNullable(request.getAttribute(RequestReader.HTTP_API_CONTEXT_PROPERTY))
                .filter(HttpApiV2ProxyRequestContext.class::isInstance)
                .map(HttpApiV2ProxyRequestContext.class::cast);
    }

    private static Optional<Owner> owner(HttpApiV2ProxyRequestContext context) {
        HttpApiV2AuthorizerMap authorizer = context.getAuthorizer();
        if (authorizer == null || !authorizer.isJwt() || authorizer.getJwtAuthorizer().getClaims() == null) {
            return Optional.empty();
        }
        Map<String, String> claims = authorizer.getJwtAuthorizer().getClaims();
        String issuer = claims.get("iss");
        String subject = claims.get("sub");
        if (issuer == null || issuer.isBlank() || subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Owner.of(issuer, subject));
    }

    /** The token's {@code scope} (space-separated) or {@code scp} (an array, which API Gateway hands on as {@code [a b]}). */
    static boolean hasScope(HttpApiV2ProxyRequestContext context, String scope) {
        Map<String, String> claims = context.getAuthorizer().getJwtAuthorizer().getClaims();
        for (String claim : new String[] {claims.get("scope"), claims.get("scp")}) {
            if (claim == null) {
                continue;
            }
            String list = claim.startsWith("[") && claim.endsWith("]") ? claim.substring(1, claim.length() - 1) : claim;
            for (String granted : list.split("[\\s,]+")) {
                if (granted.equals(scope)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void writeUnauthorized(HttpServletResponse response) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        writeProblem(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", "A valid bearer token is required.");
    }

    private static void writeProblem(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        byte[] body = ("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
