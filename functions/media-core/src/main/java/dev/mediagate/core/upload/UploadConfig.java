package dev.mediagate.core.upload;

import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.FileType;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the upload routes need, read once at init. */
public record UploadConfig(String bucket, Set<FileType> allowedContentTypes, long maxUploadBytes, Duration uploadUrlTtl,
        long multipartThresholdBytes) {

    public static final String DEFAULT_ALLOWED_CONTENT_TYPES = "image/jpeg,image/png,image/webp,image/gif,application/pdf";
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 26_214_400L;
    public static final long DEFAULT_MULTIPART_THRESHOLD_BYTES = 104_857_600L;
    /** A single S3 PUT takes at most 5 GiB: anything larger has to go multipart. */
    static final long MAX_SINGLE_PUT_BYTES = 5L * 1024 * 1024 * 1024;
    /** The largest object S3 stores (a multipart upload). */
    static final long MAX_OBJECT_BYTES = 5L * 1024 * 1024 * 1024 * 1024;
    /**
     * An upload URL is signed with the function role's temporary credentials, and "if you created a presigned URL
     * using a temporary token, then the URL expires when the token expires, even if the URL was created with a later
     * expiration time" (Amazon S3 User Guide, "Sharing objects with presigned URLs"). Lambda hands a function
     * credentials that may be close to their end, so a longer lifetime would be a promise ({@code expiresAt}) the URL
     * cannot keep; one hour is what the contract allows.
     */
    static final long MAX_UPLOAD_URL_SECONDS = 3600;
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public UploadConfig {
        allowedContentTypes = Collections.unmodifiableSet(EnumSet.copyOf(allowedContentTypes));
    }

    public static UploadConfig from(Settings settings) {
        return new UploadConfig(
                bucketName(settings),
                contentTypes(settings.string("ALLOWED_CONTENT_TYPES", DEFAULT_ALLOWED_CONTENT_TYPES)),
                settings.longInRange("MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES, 1, MAX_OBJECT_BYTES),
                uploadUrlTtl(settings),
                settings.longInRange("MULTIPART_THRESHOLD_BYTES", DEFAULT_MULTIPART_THRESHOLD_BYTES, 0, MAX_SINGLE_PUT_BYTES));
    }

    /** {@code UPLOAD_URL_TTL_SECONDS}: 1 … {@value #MAX_UPLOAD_URL_SECONDS}, and the error says why not longer. */
    static Duration uploadUrlTtl(Settings settings) {
        long seconds = settings.longInRange("UPLOAD_URL_TTL_SECONDS", 300, Long.MIN_VALUE, Long.MAX_VALUE);
        if (seconds < 1 || seconds > MAX_UPLOAD_URL_SECONDS) {
            throw new ConfigurationException("UPLOAD_URL_TTL_SECONDS", "must be between 1 and " + MAX_UPLOAD_URL_SECONDS
                    + " (a presigned URL dies with the temporary credentials of the role that signed it), got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /** {@code MEDIA_BUCKET}, checked as S3 names buckets. */
    public static String bucketName(Settings settings) {
        String bucket = settings.required("MEDIA_BUCKET");
        if (!BUCKET_NAME.matcher(bucket).matches()) {
            throw new ConfigurationException("MEDIA_BUCKET", "is not a valid S3 bucket name: '" + bucket + "'");
        }
        return bucket;
    }

    /** Whether an upload of {@code size} bytes goes multipart even when the client did not ask for it. */
    public boolean needsMultipart(long size) {
        return size > multipartThresholdBytes;
    }

    public boolean allows(FileType type) {
        return allowedContentTypes.contains(type);
    }

    /** The allowed types as the contract spells them, in a stable order. */
    public String allowedList() {
        return allowedContentTypes.stream().map(FileType::mimeType).collect(Collectors.joining(", "));
    }

    private static Set<FileType> contentTypes(String list) {
        Set<FileType> types = EnumSet.noneOf(FileType.class);
        for (String item : list.split(",")) {
            String mime = item.trim();
            if (mime.isEmpty()) {
                continue;
            }
            types.add(FileType.fromMimeType(mime).filter(t -> !mime.contains(";")).orElseThrow(() ->
                    new ConfigurationException("ALLOWED_CONTENT_TYPES", "'" + mime + "' is not a type mediagate can verify (supported: "
                            + Arrays.stream(FileType.values()).map(FileType::mimeType).collect(Collectors.joining(", ")) + ")")));
        }
        if (types.isEmpty()) {
            throw new ConfigurationException("ALLOWED_CONTENT_TYPES", "must name at least one content type");
        }
        return types;
    }
}
