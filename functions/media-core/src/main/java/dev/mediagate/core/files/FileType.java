package dev.mediagate.core.files;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The content types mediagate can verify by their bytes; nothing else may be allowed for upload. */
public enum FileType {
    JPEG("image/jpeg", "jpg", true),
    PNG("image/png", "png", true),
    WEBP("image/webp", "webp", true),
    GIF("image/gif", "gif", true),
    PDF("application/pdf", "pdf", false),
    /** HEVC-coded HEIF (iPhone photos); decoded only with the HEIC layer (HeicSupport). */
    HEIC("image/heic", "heic", true),
    /** Any other HEIF, also read through the HEIC layer's libheif. */
    HEIF("image/heif", "heif", true);

    private final String mimeType;
    private final String extension;
    private final boolean image;

    FileType(String mimeType, String extension, boolean image) {
        this.mimeType = mimeType;
        this.extension = extension;
        this.image = image;
    }

    public String mimeType() {
        return mimeType;
    }

    public String extension() {
        return extension;
    }

    public boolean isImage() {
        return image;
    }

    /** Matches the bare type, ignoring case and parameters such as {@code ; charset=}. */
    public static Optional<FileType> fromMimeType(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String bare = value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(type -> type.mimeType.equals(bare)).findFirst();
    }
}
