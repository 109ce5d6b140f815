package dev.mediagate.core.files;

import java.util.Optional;

/** The bucket layout of the contract: one place that knows every key. */
public final class MediaKeys {

    public static final String ORIGINALS_PREFIX = "originals/";
    public static final String VARIANTS_PREFIX = "variants/";
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

    public record OriginalKey(Owner owner, FileId fileId) {
        public String key() {
            return original(owner, fileId);
        }
    }
}
