package dev.mediagate.api.web;

/**
 * The route families that are answered differently before any controller runs, decided on the route key API Gateway
 * matched ({@code GET /shared/{token}}), never on the raw path: {@code /links;x}, {@code /link%73} or a trailing
 * slash reach a controller through Spring's own decoding and matching, and must not skip a check on the way.
 */
public final class ApiPaths {

    /** Share links: no token, no owner. */
    public static final String SHARED_PREFIX = "/shared/";
    /** Routes a service caller names an owner on. */
    public static final String OWNERS_PREFIX = "/owners/";
    public static final String LINKS = "/links";

    private ApiPaths() {
    }

    /** The one route without a token. */
    static final String SHARE_ROUTE_KEY = "GET " + SHARED_PREFIX + "{token}";

    /** The routes that need the service scope, by route key ({@code METHOD /path/{param}}). */
    static boolean isServiceRoute(String routeKey) {
        String path = routeKey.substring(routeKey.indexOf(' ') + 1);
        return path.startsWith(OWNERS_PREFIX) || path.equals(LINKS);
    }
}
