package dev.mediagate.api.files;

import dev.mediagate.api.cdn.CdnInvalidator;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.files.Visibility;
import java.util.List;

/**
 * {@code DELETE}: the deletion marker first (a processing run in flight then removes what it writes), share links next
 * (they stop working at once), then the published copies and their CDN copies, the variants with the manifest, the
 * original last. A removal that died half-way is finished by the next {@code DELETE}: whatever is left of the file is
 * still found.
 */
class FileRemoval {

    private final FileCatalog catalog;
    private final CdnInvalidator invalidator;
    private final List<FileAttachments> attachments;

    FileRemoval(FileCatalog catalog, CdnInvalidator invalidator, List<FileAttachments> attachments) {
        this.catalog = catalog;
        this.invalidator = invalidator;
        this.attachments = List.copyOf(attachments);
    }

    /** False when there was nothing to delete. */
    boolean delete(Owner owner, FileId fileId) {
        boolean originalExists = catalog.original(owner, fileId).isPresent();
        List<String> published = catalog.keysUnder(MediaKeys.publicPrefix(owner, fileId));
        List<String> variants = catalog.keysUnder(MediaKeys.variantsPrefix(owner, fileId));
        if (!originalExists && published.isEmpty() && variants.isEmpty()) {
            return false;
        }
        // First: from here on no processing run announces or keeps anything of this file (see Deletions).
        catalog.markDeleted(owner, fileId);
        attachments.forEach(attachment -> attachment.deleteAll(owner, fileId));
        List<String> cached = new java.util.ArrayList<>(published);
        catalog.manifest(owner, fileId)
                .filter(manifest -> manifest.visibilityValue() == Visibility.PUBLIC || manifest.isUnpublishPending())
                .ifPresent(manifest -> cached.addAll(Publication.publishedKeys(manifest)));
        catalog.deleteAll(published);
        // Queued, never waited on: CloudFront refusing (too many invalidations in progress) cannot fail a delete.
        invalidator.invalidate(owner, fileId, cached);
        catalog.deleteAll(variants);
        if (originalExists) {
            catalog.deleteAll(List.of(MediaKeys.original(owner, fileId)));
        }
        return true;
    }
}
