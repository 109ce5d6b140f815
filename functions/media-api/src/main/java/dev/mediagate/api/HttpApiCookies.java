package dev.mediagate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * HTTP API payload 2.0 ignores {@code multiValueHeaders} and joins repeated headers with commas, which breaks
 * {@code Set-Cookie} (its {@code Expires} has a comma). API Gateway wants each cookie in the response's {@code cookies}
 * array instead, so they are moved there.
 */
final class HttpApiCookies {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MARKER = "et-cookie".getBytes(StandardCharsets.US_ASCII);

    private HttpApiCookies() {
    }

    static byte[] moveSetCookies(byte[] response) throws IOException {
        if (!mentionsSetCookie(response)) {
            return response;
        }
        ObjectNode root = (ObjectNode) JSON.readTree(response);
        List<String> cookies = new ArrayList<>();
        JsonNode multi = root.path("multiValueHeaders");
        if (multi instanceof ObjectNode multiValueHeaders) {
            removeSetCookie(multiValueHeaders, value -> value.forEach(cookie -> cookies.add(cookie.asText())));
        }
        JsonNode single = root.path("headers");
        if (single instanceof ObjectNode headers) {
            removeSetCookie(headers, value -> {
                if (cookies.isEmpty()) {
                    cookies.add(value.asText());
                }
            });
        }
        ArrayNode array = root.putArray("cookies");
        cookies.forEach(array::add);
        return JSON.writeValueAsBytes(root);
    }

    private static void removeSetCookie(ObjectNode headers, java.util.function.Consumer<JsonNode> found) {
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            if (header.getKey().equalsIgnoreCase("set-cookie")) {
                found.accept(header.getValue());
                it.remove();
            }
        }
    }

    private static boolean mentionsSetCookie(byte[] response) {
        outer:
        for (int i = 0; i + MARKER.length <= response.length; i++) {
            for (int j = 0; j < MARKER.length; j++) {
                if (Character.toLowerCase(response[i + j]) != MARKER[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
