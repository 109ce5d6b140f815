package dev.mediagate.api.links;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.core.upload.FieldError;
import dev.mediagate.core.upload.InvalidRequestException;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Owner;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /links}: a service caller's page of files, signed in one call. */
@RestController
class LinksController {

    static final int MAX_FILES = 100;
    private static final Pattern VARIANT_NAME = Pattern.compile("[a-z0-9_-]{1,32}");

    private final PageSigner signer;

    LinksController(PageSigner signer) {
        this.signer = signer;
    }

    @PostMapping(path = "/links", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PageSigner.Page> links(@RequestBody JsonNode body) {
        LinksRequest request = parse(body);
        return ResponseEntity.ok().header("Cache-Control", "private, no-store")
                .body(signer.sign(request.files(), request.variants()));
    }

    record LinksRequest(List<PageSigner.FileRef> files, Optional<Set<String>> variants) {
    }

    private static LinksRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.", List.of());
        }
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!field.getKey().equals("files") && !field.getKey().equals("variants")) {
                errors.add(new FieldError(field.getKey(), "is not a field of this request"));
            }
        }
        List<PageSigner.FileRef> files = new ArrayList<>();
        JsonNode list = body.get("files");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_FILES) {
            errors.add(new FieldError("files", "must be an array of 1 to " + MAX_FILES + " {owner, fileId} objects"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                Optional<Owner> owner = Optional.ofNullable(item.get("owner")).filter(JsonNode::isTextual).map(JsonNode::textValue)
                        .filter(Owner::isOwnerSegment).map(Owner::new);
                Optional<FileId> fileId = Optional.ofNullable(item.get("fileId")).filter(JsonNode::isTextual)
                        .flatMap(node -> FileId.parse(node.textValue()));
                if (owner.isEmpty()) {
                    errors.add(new FieldError("files[" + i + "].owner", "must be an owner as GET /me returns it"));
                }
                if (fileId.isEmpty()) {
                    errors.add(new FieldError("files[" + i + "].fileId", "must be a file id"));
                }
                if (owner.isPresent() && fileId.isPresent()) {
                    files.add(new PageSigner.FileRef(owner.get(), fileId.get()));
                }
            }
        }
        Optional<Set<String>> variants = Optional.empty();
        JsonNode names = body.get("variants");
        if (names != null && !names.isNull()) {
            Set<String> wanted = new LinkedHashSet<>();
            if (!names.isArray()) {
                errors.add(new FieldError("variants", "must be an array of variant names"));
            } else {
                for (JsonNode name : names) {
                    if (name.isTextual() && VARIANT_NAME.matcher(name.textValue()).matches()) {
                        wanted.add(name.textValue());
                    } else {
                        errors.add(new FieldError("variants", "must be an array of variant names ([a-z0-9_-], 1-32 characters)"));
                        break;
                    }
                }
            }
            variants = Optional.of(wanted);
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The links request has invalid fields.", errors);
        }
        return new LinksRequest(files, variants);
    }
}
