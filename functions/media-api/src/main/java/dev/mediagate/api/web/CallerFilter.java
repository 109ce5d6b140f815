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
 * derives the {@link Owner} from {@code iss} + {@code sub}, and writes one access-log line per request.
 */
final class CallerFilter extends OncePerRequestFilter {

    static final String OWNER_ATTRIBUTE = Owner.class.getName();
    /** Every request body of this API is a few hundred bytes of JSON; anything far larger is refused unread. */
    static final long MAX_BODY_BYTES = 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger("mediagate.access");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        Optional<HttpApiV2ProxyRequestContext> context = httpApiContext(request);
        context.map(HttpApiV2ProxyRequestContext::getRequestId).ifPresent(id -> MDC.put("requestId", id));
        Optional<Owner> owner = context.flatMap(CallerFilter::owner);
        try {
            if (owner.isEmpty()) {
                writeUnauthorized(response);
            } else if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                writeProblem(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Payload Too Large",
                        "The request body must be at most " + MAX_BODY_BYTES + " bytes.");
            } else {
                MDC.put("owner", owner.get().value());
                request.setAttribute(OWNER_ATTRIBUTE, owner.get());
                chain.doFilter(request, response);
            }
        } finally {
            int status = response.getStatus();
            log.atInfo()
                    .addKeyValue("method", request.getMethod())
                    .addKeyValue("path", request.getRequestURI())
                    .addKeyValue("status", status)
                    .addKeyValue("outcome", status < 400 ? "success" : status < 500 ? "refused" : "error")
                    .addKeyValue("durationMs", (System.nanoTime() - started) / 1_000_000.0)
                    .log("{} {} {}", request.getMethod(), request.getRequestURI(), status);
            MDC.remove("owner");
            MDC.remove("fileId");
            MDC.remove("requestId");
        }
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
