package dev.mediagate.api.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mediagate.core.files.Recipe;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code GET /files/{fileId}} body; absent fields are left out, as the contract lists them per status. A ready
 * image also has {@code thumbhash}, {@code dominantColor} and {@code animated} ({@code frames} and {@code durationMs}
 * when true). {@code focus} is always there, {@code null} until a {@code PATCH} sets one, as the contract shows it.
 */
public record FileView(String fileId, String owner, String visibility, String status, String filename, String contentType,
        Long size, Integer width, Integer height, String reason, String placeholder, String thumbhash, String dominantColor,
        Boolean animated, Integer frames, Integer durationMs,
        @JsonInclude(JsonInclude.Include.ALWAYS) Recipe.Focus focus, Link original,
        Map<String, VariantLink> variants, Map<String, String> srcset, Instant urlsExpireAt) {

    /** Uploaded, no manifest yet. */
    static FileView processing(String fileId, String owner, String visibility, String filename, String contentType, long size) {
        return new FileView(fileId, owner, visibility, "processing", filename, contentType, size, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    /** Refused by the resizer: the reason, never a URL. */
    static FileView rejected(String fileId, String owner, String visibility, String filename, String contentType, long size,
            String reason) {
        return new FileView(fileId, owner, visibility, "rejected", filename, contentType, size, null, null, reason, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    /** A ready document: its signed original only. */
    static FileView readyDocument(String fileId, String owner, String visibility, String filename, String contentType, long size,
            Link original, Instant urlsExpireAt) {
        return new FileView(fileId, owner, visibility, "ready", filename, contentType, size, null, null, null, null, null,
                null, null, null, null, null, original, null, null, urlsExpireAt);
    }

    /**
     * A ready image: upright dimensions, the placeholders, whether it moves, the signed original, the variants' URLs and
     * their srcsets.
     */
    static FileView readyImage(String fileId, String owner, String visibility, String filename, String contentType, long size,
            int width, int height, Picture picture, Link original, Map<String, VariantLink> variants,
            Map<String, String> srcset, Instant urlsExpireAt) {
        return new FileView(fileId, owner, visibility, "ready", filename, contentType, size, width, height, null,
                picture.placeholder(), picture.thumbhash(), picture.dominantColor(), picture.animated(),
                picture.animated() ? picture.frames() : null, picture.animated() ? picture.durationMs() : null,
                picture.focus(), original, variants, srcset, urlsExpireAt);
    }

    /** What a ready image's manifest says of the picture itself. */
    record Picture(String placeholder, String thumbhash, String dominantColor, boolean animated, Integer frames, Integer durationMs,
            Recipe.Focus focus) {
    }

    /** As a share link's holder sees it: whose file it is stays unsaid. */
    public FileView withoutOwner() {
        return new FileView(fileId, null, visibility, status, filename, contentType, size, width, height, reason, placeholder,
                thumbhash, dominantColor, animated, frames, durationMs, focus, original, variants, srcset, urlsExpireAt);
    }

    public record Link(String url) {
    }

    /** A variant's URL and, by media type, the URLs of the same pixels in the extra formats. */
    public record VariantLink(String url, int width, int height, String contentType, long size,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, AlternateLink> alternates) {
    }

    public record AlternateLink(String url, long size) {
    }
}
