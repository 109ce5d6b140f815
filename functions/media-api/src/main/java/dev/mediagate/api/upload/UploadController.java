package dev.mediagate.api.upload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.core.metrics.Metrics;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.upload.UploadPolicy;
import dev.mediagate.core.upload.UploadRequest;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class UploadController {

    private static final Logger log = LoggerFactory.getLogger(UploadController.class);

    private final UploadPolicy policy;
    private final UploadSigner signer;
    private final MultipartUploads multipart;
    private final Metrics metrics;

    UploadController(UploadPolicy policy, UploadSigner signer, MultipartUploads multipart, Metrics metrics) {
        this.policy = policy;
        this.signer = signer;
        this.multipart = multipart;
        this.metrics = metrics;
    }

    @PostMapping(path = {"/uploads", "/owners/{owner}/uploads"}, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<UploadResponse> createUpload(Owner owner, @RequestBody JsonNode body) {
        UploadRequest request = policy.validate(body);
        UploadResponse response = request.multipart()
                ? UploadResponse.of(multipart.start(owner, request)) : UploadResponse.of(signer.sign(owner, request));
        MDC.put("fileId", response.fileId());
        log.atInfo()
                .addKeyValue("contentType", request.contentType().mimeType())
                .addKeyValue("size", request.size())
                .addKeyValue("multipart", request.multipart())
                .log("upload issued");
        metrics.count("UploadsIssued", Map.of("ContentType", request.contentType().mimeType(),
                "Method", request.multipart() ? "multipart" : "PUT"));
        return ResponseEntity.created(URI.create("/files/" + response.fileId())).body(response);
    }
}
