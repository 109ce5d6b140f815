package dev.mediagate.api.web;

/** The path families that are answered differently before any controller runs. */
public final class ApiPaths {

    /** Share links: no token, no owner. */
    public static final String SHARED_PREFIX = "/shared/";
    /** Routes a service caller names an owner on. */
    public static final String OWNERS_PREFIX = "/owners/";
    public static final String LINKS = "/links";

    private ApiPaths() {
    }

    /** The routes that need the service scope. */
    static boolean isServiceRoute(String path) {
        return path.startsWith(OWNERS_PREFIX) || path.equals(LINKS);
    }
}
