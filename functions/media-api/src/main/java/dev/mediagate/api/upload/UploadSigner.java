package dev.mediagate.api.upload;

import dev.mediagate.core.FileId;
import dev.mediagate.core.Filenames;
import dev.mediagate.core.MediaKeys;
import dev.mediagate.core.Owner;
import dev.mediagate.core.UploadConfig;
import dev.mediagate.core.UploadRequest;
import dev.mediagate.core.aws.S3PutPresigner;
import dev.mediagate.core.aws.S3PutPresigner.PresignedPut;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signs one PUT of exactly the declared bytes to {@code originals/{owner}/{fileId}}: type, length, disposition, file name
 * and {@code If-None-Match: *} are all in the signature, so S3 itself refuses anything else and never overwrites.
 */
class UploadSigner {

    /** Clients send these themselves (browsers refuse to let scripts set them); they are signed all the same. */
    private static final List<String> IMPLIED_HEADERS = List.of("host", "content-length");

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
        headers.put("If-None-Match", "*");
        request.checksumSha256().ifPresent(checksum -> headers.put("x-amz-checksum-sha256", checksum));
        PresignedPut presigned = presigner.presign(config.bucket(), MediaKeys.original(owner, fileId), headers,
                config.uploadUrlTtl());
        return new UploadTicket(fileId, presigned.url().toString(), presigned.expiration(),
                headersToSend(presigned.signedHeaders()));
    }

    private static Map<String, String> headersToSend(Map<String, List<String>> signed) {
        Map<String, String> headers = new LinkedHashMap<>();
        signed.forEach((name, values) -> {
            if (!IMPLIED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(displayName(name), String.join(",", values));
            }
        });
        return headers;
    }

    /** {@code Content-Type}, {@code If-None-Match}; {@code x-amz-*} stay lower-case as AWS documents them. */
    private static String displayName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("x-amz-")) {
            return lower;
        }
        StringBuilder out = new StringBuilder(lower.length());
        boolean upper = true;
        for (char c : lower.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return out.toString();
    }
}
