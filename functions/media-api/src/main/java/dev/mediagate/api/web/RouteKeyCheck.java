package dev.mediagate.api.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The handler Spring matched must be the route API Gateway matched: {@link CallerFilter} decides the token and scope
 * checks on the event's route key, so a raw path that Spring decodes or normalises onto another handler
 * ({@code /link%73}, {@code /links;x} under {@code POST /uploads}) would otherwise reach a controller whose checks were
 * never made. Such a request is answered 404 (problem+json), as API Gateway answers a path it has no route for.
 */
final class RouteKeyCheck implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod)) {
            return true;
        }
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        Object routeKey = request.getAttribute(CallerFilter.ROUTE_KEY_ATTRIBUTE);
        if (pattern == null || routeKey == null || !routeKey.equals(request.getMethod() + " " + pattern)) {
            throw new NotFoundException("No such route.");
        }
        return true;
    }
}
