package dev.mediagate.api.upload;

import dev.mediagate.core.files.FileId;
import dev.mediagate.core.upload.Filenames;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.upload.UploadConfig;
import dev.mediagate.core.upload.UploadRequest;
import dev.mediagate.api.upload.S3PutPresigner.PresignedPut;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs one PUT of exactly the declared bytes to {@code originals/{owner}/{fileId}}: type, length, disposition, file name,
 * visibility and {@code If-None-Match: *} are all in the signature, so S3 itself refuses anything else and never overwrites.
 */
class UploadSigner {

    private final S3PutPresigner presigner;
    private final UploadConfig config;

    UploadSigner(S3PutPresigner presigner, UploadConfig config) {
        this.presigner = presigner;
        this.config = config;
    }

    UploadTicket sign(Owner owner, UploadRequest request) {
        FileId fileId = FileId.random();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", request.contentType().mimeType());
        headers.put("Content-Length", String.valueOf(request.size()));
        headers.put("Content-Disposition", Filenames.attachmentDisposition(request.filename()));
        headers.put("x-amz-meta-filename", Filenames.percentEncode(request.filename()));
        headers.put("x-amz-meta-visibility", request.visibility().code());
        headers.put("If-None-Match", "*");
        request.checksumSha256().ifPresent(checksum -> headers.put("x-amz-checksum-sha256", checksum));
        PresignedPut presigned = presigner.presign(config.bucket(), MediaKeys.original(owner, fileId), headers,
                config.uploadUrlTtl());
        // Every header given is signed; the browser sends Content-Length itself (scripts may not set it).
        Map<String, String> toSend = new LinkedHashMap<>(headers);
        toSend.remove("Content-Length");
        return new UploadTicket(fileId, presigned.url().toString(), presigned.expiration(), toSend);
    }
}
