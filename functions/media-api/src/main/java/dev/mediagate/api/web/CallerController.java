package dev.mediagate.api.web;

import dev.mediagate.core.files.Owner;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /me}: the caller's owner, so a frontend can tell its backend whose files are whose. */
@RestController
class CallerController {

    @GetMapping("/me")
    ResponseEntity<Map<String, String>> me(Owner owner) {
        return ResponseEntity.ok().header("Cache-Control", "private, no-store").body(Map.of("owner", owner.value()));
    }
}
