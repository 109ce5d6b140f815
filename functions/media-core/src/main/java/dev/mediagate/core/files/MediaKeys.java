package dev.mediagate.core.files;

import java.util.Optional;

/** The bucket layout of the contract: one place that knows every key. */
public final class MediaKeys {

    public static final String ORIGINALS_PREFIX = "originals/";
    public static final String VARIANTS_PREFIX = "variants/";
    public static final String PUBLIC_PREFIX = "public/";
    public static final String SHARES_PREFIX = "shares/";
    public static final String UPLOADS_PREFIX = "uploads/";
    /** Deletion markers: never served, expired by a lifecycle rule a day after a delete. */
    public static final String DELETIONS_PREFIX = "deletions/";
    public static final String MANIFEST_NAME = "manifest.json";

    private MediaKeys() {
    }

    public static String original(Owner owner, FileId fileId) {
        return ORIGINALS_PREFIX + owner.value() + "/" + fileId.value();
    }

    /** Every object the resizer writes for a file lives under this prefix (ends with {@code /}). */
    public static String variantsPrefix(Owner owner, FileId fileId) {
        return VARIANTS_PREFIX + owner.value() + "/" + fileId.value() + "/";
    }

    /** The prefix every variant of an owner lives under (ends with {@code /}): the scope of the CDN cookies. */
    public static String ownerVariantsPrefix(Owner owner) {
        return VARIANTS_PREFIX + owner.value() + "/";
    }

    public static String variant(Owner owner, FileId fileId, String variantName, String extension) {
        return variantsPrefix(owner, fileId) + variantName + "." + extension;
    }

    /**
     * A reprocessed file's variant: under its {@code generation}'s own segment, so new bytes never reuse a key that a
     * browser or an edge may hold for a year ({@code immutable}). Null: the first processing's key, without a segment.
     */
    public static String variant(Owner owner, FileId fileId, String generation, String variantName, String extension) {
        return generation == null ? variant(owner, fileId, variantName, extension)
                : variantsPrefix(owner, fileId) + generation + "/" + variantName + "." + extension;
    }

    /** Where a public file's variants are published for the CDN's unsigned {@code /public/*} behaviour (ends with {@code /}). */
    public static String publicPrefix(Owner owner, FileId fileId) {
        return PUBLIC_PREFIX + owner.value() + "/" + fileId.value() + "/";
    }

    /** The published copy of a variant key: {@code variants/o/f/thumb.jpg} → {@code public/o/f/thumb.jpg}. */
    public static String published(String variantKey) {
        if (!variantKey.startsWith(VARIANTS_PREFIX)) {
            throw new IllegalArgumentException("not a variant key");
        }
        return PUBLIC_PREFIX + variantKey.substring(VARIANTS_PREFIX.length());
    }

    /** The private copy of a variant key, whichever prefix it is given under. */
    public static String unpublished(String variantKey) {
        return variantKey.startsWith(PUBLIC_PREFIX) ? VARIANTS_PREFIX + variantKey.substring(PUBLIC_PREFIX.length()) : variantKey;
    }

    /** A share link's record, found from the token's SHA-256 (hex) alone. */
    public static String shareByToken(String tokenSha256Hex) {
        return SHARES_PREFIX + "tokens/" + tokenSha256Hex + ".json";
    }

    /** The index of a file's share links, one object per share (ends with {@code /}). */
    public static String fileSharesPrefix(Owner owner, FileId fileId) {
        return SHARES_PREFIX + "files/" + owner.value() + "/" + fileId.value() + "/";
    }

    public static String fileShare(Owner owner, FileId fileId, String shareId) {
        return fileSharesPrefix(owner, fileId) + shareId + ".json";
    }

    /** What the API keeps of a multipart upload in progress: its id, size and part size. */
    public static String multipartUpload(Owner owner, FileId fileId) {
        return UPLOADS_PREFIX + owner.value() + "/" + fileId.value() + ".json";
    }

    /** Written first by a delete, so a processing run still in flight sees that the file is gone for good. */
    public static String deletionMarker(Owner owner, FileId fileId) {
        return DELETIONS_PREFIX + owner.value() + "/" + fileId.value();
    }

    public static String manifest(Owner owner, FileId fileId) {
        return variantsPrefix(owner, fileId) + MANIFEST_NAME;
    }

    /** The owner and file of an {@code originals/{owner}/{fileId}} key; empty for any other key. */
    public static Optional<OriginalKey> parseOriginal(String key) {
        if (key == null || !key.startsWith(ORIGINALS_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = key.substring(ORIGINALS_PREFIX.length()).split("/", -1);
        if (parts.length != 2 || !Owner.isOwnerSegment(parts[0])) {
            return Optional.empty();
        }
        return FileId.parse(parts[1]).map(fileId -> new OriginalKey(new Owner(parts[0]), fileId));
    }

    /** The owner and file of a {@code variants/{owner}/{fileId}/manifest.json} key; empty for any other key. */
    public static Optional<OriginalKey> parseManifest(String key) {
        if (key == null || !key.startsWith(VARIANTS_PREFIX) || !key.endsWith("/" + MANIFEST_NAME)) {
            return Optional.empty();
        }
        String[] parts = key.substring(VARIANTS_PREFIX.length()).split("/", -1);
        if (parts.length != 3 || !Owner.isOwnerSegment(parts[0])) {
            return Optional.empty();
        }
        return FileId.parse(parts[1]).map(fileId -> new OriginalKey(new Owner(parts[0]), fileId));
    }

    public record OriginalKey(Owner owner, FileId fileId) {
        public String key() {
            return original(owner, fileId);
        }
    }
}
