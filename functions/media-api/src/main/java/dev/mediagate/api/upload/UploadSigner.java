package dev.mediagate.api.upload;

import dev.mediagate.core.FileId;
import dev.mediagate.core.Filenames;
import dev.mediagate.core.MediaKeys;
import dev.mediagate.core.Owner;
import dev.mediagate.core.UploadConfig;
import dev.mediagate.core.UploadRequest;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

/**
 * Signs one PUT of exactly the declared bytes to {@code originals/{owner}/{fileId}}: type, length, disposition, file name
 * and {@code If-None-Match: *} are all in the signature, so S3 itself refuses anything else and never overwrites.
 */
class UploadSigner {

    /** Clients send these themselves (browsers refuse to let scripts set them); they are signed all the same. */
    private static final List<String> IMPLIED_HEADERS = List.of("host", "content-length");

    private final S3Presigner presigner;
    private final UploadConfig config;

    UploadSigner(S3Presigner presigner, UploadConfig config) {
        this.presigner = presigner;
        this.config = config;
    }

    UploadTicket sign(Owner owner, UploadRequest request) {
        FileId fileId = FileId.random();
        PutObjectRequest.Builder put = PutObjectRequest.builder()
                .bucket(config.bucket())
                .key(MediaKeys.original(owner, fileId))
                .contentType(request.contentType().mimeType())
                .contentLength(request.size())
                .contentDisposition(Filenames.attachmentDisposition(request.filename()))
                .metadata(Map.of("filename", Filenames.percentEncode(request.filename())))
                .ifNoneMatch("*");
        request.checksumSha256().ifPresent(put::checksumSHA256);
        PresignedPutObjectRequest presigned = presigner.presignPutObject(PutObjectPresignRequest.builder()
                .signatureDuration(config.uploadUrlTtl())
                .putObjectRequest(put.build())
                .build());
        return new UploadTicket(fileId, presigned.url().toString(),
                presigned.expiration().truncatedTo(ChronoUnit.SECONDS), headersToSend(presigned.signedHeaders()));
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
