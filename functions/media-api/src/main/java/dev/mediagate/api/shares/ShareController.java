package dev.mediagate.api.shares;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.api.files.FileCatalog;
import dev.mediagate.api.files.FileView;
import dev.mediagate.api.files.FileViews;
import dev.mediagate.api.web.NotFoundException;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.upload.FieldError;
import dev.mediagate.core.upload.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Share links: made, listed and revoked by the owner (or a service caller), opened by anyone holding the token. */
@RestController
class ShareController {

    static final long MIN_SECONDS = 60;
    static final long MAX_SECONDS = 2_592_000;
    static final long DEFAULT_SECONDS = 604_800;
    private static final Logger log = LoggerFactory.getLogger(ShareController.class);

    private final ShareStore store;
    private final FileCatalog catalog;
    private final FileViews views;

    ShareController(ShareStore store, FileCatalog catalog, FileViews views) {
        this.store = store;
        this.catalog = catalog;
        this.views = views;
    }

    record CreatedShare(String shareId, String url, Instant expiresAt) {
    }

    record ShareSummary(String shareId, Instant createdAt, Instant expiresAt) {
    }

    @PostMapping({"/files/{fileId}/shares", "/owners/{owner}/files/{fileId}/shares"})
    ResponseEntity<CreatedShare> create(Owner owner, @PathVariable("fileId") String fileIdText,
            @RequestBody(required = false) JsonNode body, HttpServletRequest request) {
        FileId fileId = existingFile(owner, fileIdText);
        Duration lifetime = Duration.ofSeconds(requestedLifetime(body));
        ShareStore.Created created = store.create(owner, fileId, lifetime);
        log.atInfo().addKeyValue("shareId", created.record().shareId()).addKeyValue("expiresAt", created.record().expiresAt())
                .log("share link created");
        String url = apiBaseUrl(request) + "/shared/" + created.token();
        return ResponseEntity.created(URI.create(request.getRequestURI() + "/" + created.record().shareId()))
                .header("Cache-Control", "no-store")
                .body(new CreatedShare(created.record().shareId(), url, created.record().expiresAt()));
    }

    @GetMapping({"/files/{fileId}/shares", "/owners/{owner}/files/{fileId}/shares"})
    ResponseEntity<Map<String, List<ShareSummary>>> list(Owner owner, @PathVariable("fileId") String fileIdText) {
        FileId fileId = existingFile(owner, fileIdText);
        List<ShareSummary> shares = store.list(owner, fileId).stream()
                .map(record -> new ShareSummary(record.shareId(), record.createdAt(), record.expiresAt())).toList();
        return ResponseEntity.ok().header("Cache-Control", "private, no-store").body(Map.of("shares", shares));
    }

    @DeleteMapping({"/files/{fileId}/shares/{shareId}", "/owners/{owner}/files/{fileId}/shares/{shareId}"})
    ResponseEntity<Void> revoke(Owner owner, @PathVariable("fileId") String fileIdText, @PathVariable("shareId") String shareId) {
        FileId fileId = FileId.parse(fileIdText).orElseThrow(NotFoundException::new);
        MDC.put("fileId", fileId.value());
        if (!store.revoke(owner, fileId, shareId)) {
            throw new NotFoundException();
        }
        log.atInfo().addKeyValue("shareId", shareId).log("share link revoked");
        return ResponseEntity.noContent().build();
    }

    /** No token but the link's: the same 404 for unknown, expired, revoked and deleted, URLs that end with the share. */
    @GetMapping("/shared/{token}")
    ResponseEntity<FileView> open(@PathVariable("token") String token) {
        ShareRecord share = store.find(token).orElseThrow(NotFoundException::new);
        FileView view = views.view(new Owner(share.owner()), new FileId(share.fileId()), share.expiresAt())
                .orElseThrow(NotFoundException::new);
        return ResponseEntity.ok().header("Cache-Control", "private, no-store").header("Referrer-Policy", "no-referrer")
                .body(view.withoutOwner());
    }

    private FileId existingFile(Owner owner, String fileIdText) {
        FileId fileId = FileId.parse(fileIdText).orElseThrow(NotFoundException::new);
        MDC.put("fileId", fileId.value());
        if (catalog.original(owner, fileId).isEmpty()) {
            throw new NotFoundException();
        }
        return fileId;
    }

    private static long requestedLifetime(JsonNode body) {
        if (body == null || body.isNull() || body.isObject() && body.isEmpty()) {
            return DEFAULT_SECONDS;
        }
        if (!body.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.", List.of());
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!field.getKey().equals("expiresInSeconds")) {
                throw new InvalidRequestException("The share request has invalid fields.",
                        List.of(new FieldError(field.getKey(), "is not a field of this request")));
            }
        }
        JsonNode seconds = body.get("expiresInSeconds");
        if (!seconds.isIntegralNumber() || !seconds.canConvertToLong() || seconds.longValue() < MIN_SECONDS
                || seconds.longValue() > MAX_SECONDS) {
            throw new InvalidRequestException("The share request has invalid fields.", List.of(new FieldError("expiresInSeconds",
                    "must be an integer between " + MIN_SECONDS + " and " + MAX_SECONDS)));
        }
        return seconds.longValue();
    }

    /** Where this API answers, as the caller reached it: API Gateway's domain (or the custom one) behind https. */
    private static String apiBaseUrl(HttpServletRequest request) {
        String scheme = "http".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto")) ? "http" : "https";
        String host = request.getHeader("Host");
        if (host == null || !host.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
            throw new IllegalStateException("the request carries no usable Host header");
        }
        return scheme + "://" + host;
    }
}
