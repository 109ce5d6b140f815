package dev.mediagate.local.apigateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the local API serves besides the routes, from the jar (put there by the build): the demo page, the
 * {@code @mediagate/client} it runs on ({@code /client/…}), {@code openapi.yaml} and its readable reference at
 * {@code /docs} (Swagger UI, bundled from npm at build time: nothing is fetched from elsewhere at run time).
 */
final class DevFiles {

    private static final Map<String, String> NAMED = Map.of(
            "/", "demo/index.html", "/index.html", "demo/index.html", "/app.js", "demo/app.js", "/app.css", "demo/app.css",
            "/openapi.yaml", "openapi.yaml", "/docs", "docs/index.html", "/docs/", "docs/index.html");
    /** A file under one of these folders, by a plain name (no way out of the folder). */
    private static final Pattern IN_FOLDER = Pattern.compile("/(docs|client)/([a-z0-9][a-z0-9._-]*)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "yaml", "application/yaml; charset=utf-8", "map", "application/json", "ts", "text/plain; charset=utf-8");

    private DevFiles() {
    }

    /** A file of the jar, with its content type. */
    record DevFile(String contentType, byte[] bytes) {
    }

    /** Whether a {@code GET} of this path names a file this stack serves (present in the jar or not). */
    static boolean serves(String path) {
        return NAMED.containsKey(path) || IN_FOLDER.matcher(path).matches();
    }

    /** The file a {@code GET} of this path serves, if any. */
    static Optional<DevFile> find(String path) throws IOException {
        String resource = NAMED.get(path);
        if (resource == null) {
            var matcher = IN_FOLDER.matcher(path);
            if (!matcher.matches() || matcher.group(2).contains("..")) {
                return Optional.empty();
            }
            resource = matcher.group(1) + "/" + matcher.group(2);
        }
        String extension = resource.substring(resource.lastIndexOf('.') + 1);
        if (!TYPES.containsKey(extension)) {
            return Optional.empty();
        }
        try (InputStream in = DevFiles.class.getResourceAsStream("/" + resource)) {
            return in == null ? Optional.empty() : Optional.of(new DevFile(TYPES.get(extension), in.readAllBytes()));
        }
    }
}
