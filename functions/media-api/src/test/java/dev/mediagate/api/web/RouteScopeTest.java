package dev.mediagate.api.web;

import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.invoke;
import static dev.mediagate.api.ApiEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.api.ApiEvents.ApiResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The function's own checks (token, service scope, share links without a token) hold whatever raw path the event
 * carries: they are decided on the route key API Gateway matched, and a path that Spring decodes or normalises onto
 * another handler than that route's is not found. API Gateway itself routes none of these paths; this is the defence
 * behind it that the docs promise ("the function checks again").
 */
class RouteScopeTest {

    private static final String OWNER = "ksbadydqkpcosn4zkgtwasmyjuchops2";
    private static final String FILE_ID = "0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
    private static final String LINKS = "{\"files\":[{\"owner\":\"" + OWNER + "\",\"fileId\":\"" + FILE_ID + "\"}]}";

    @Test
    void aUserTokenNeverReachesPostLinksThroughAnotherRoutesKeyOrAnEncodedPath() {
        for (String path : List.of("/links;x", "/link%73", "/links/", "//links", "/%6Cinks", "/links;/", "/./links", "/uploads/../links")) {
            ApiResponse answer = invoke(as("POST /uploads", path, LINKS));

            assertThat(answer.status()).as("POST %s under POST /uploads", path).isIn(400, 404);
            assertThat(answer.header("Content-Type")).as(path).startsWith("application/problem+json");
            assertThat(answer.raw().path("body").asText()).as(path).doesNotContain("\"files\"");
        }
        for (String path : List.of("/links", "/links;x", "/link%73", "/links/")) {
            ApiResponse answer = invoke(as("POST /links", path, LINKS));

            assertThat(answer.status()).as("POST %s under POST /links without the scope", path).isEqualTo(403);
        }
    }

    @Test
    void aUserTokenNeverReachesAnotherOwnersFileThroughAServiceRoutesPath() {
        for (String path : List.of("/owners/" + OWNER + "/files/" + FILE_ID, "/owner%73/" + OWNER + "/files/" + FILE_ID,
                "/owners;x/" + OWNER + "/files/" + FILE_ID)) {
            ApiResponse answer = invoke(as("GET /files/{fileId}", path, null));

            assertThat(answer.status()).as("GET %s under GET /files/{fileId}", path).isEqualTo(404);
            assertThat(answer.header("Content-Type")).as(path).startsWith("application/problem+json");
        }
    }

    @Test
    void theShareRoutesMissingTokenOpensNoOtherRouteAndAnEventWithoutARouteKeyIsNotFound() {
        ObjectNode share = as("GET /shared/{token}", "/files/" + FILE_ID, null);
        ((ObjectNode) share.get("requestContext")).remove("authorizer");
        ObjectNode noRouteKey = as("GET /files/{fileId}", "/files/" + FILE_ID, null);
        noRouteKey.remove("routeKey");
        ((ObjectNode) noRouteKey.get("requestContext")).remove("routeKey");

        assertThat(invoke(share).status()).isEqualTo(404);
        assertThat(invoke(noRouteKey).status()).isEqualTo(404);
        assertThat(invoke(noRouteKey).header("Content-Type")).startsWith("application/problem+json");
    }

    /** An event API Gateway could only send for {@code routeKey}, with {@code path} as its raw path, as alice (no scope). */
    private static ObjectNode as(String routeKey, String path, String body) {
        ObjectNode event = event("api-get-file.json");
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        ((ObjectNode) event.get("requestContext")).put("routeKey", routeKey);
        ((ObjectNode) event.at("/requestContext/http")).put("method", method).put("path", path);
        event.remove("pathParameters");
        if (body != null) {
            event = withBody(event, body);
            ((ObjectNode) event.get("headers")).put("content-type", "application/json");
        }
        return event;
    }
}
