package dev.mediagate.api.files;

import dev.mediagate.api.web.NotFoundException;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Owner;
import dev.mediagate.api.cdn.CdnSigner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class FileController {

    private final FileCatalog catalog;
    private final CdnSigner signer;

    FileController(FileCatalog catalog, CdnSigner signer) {
        this.catalog = catalog;
        this.signer = signer;
    }

    @GetMapping("/files/{fileId}")
    ResponseEntity<FileView> file(Owner owner, @PathVariable("fileId") String fileIdText) {
        FileId fileId = parse(fileIdText);
        Optional<Manifest> manifest = catalog.manifest(owner, fileId);
        if (manifest.isEmpty()) {
            FileCatalog.Original original = catalog.original(owner, fileId).orElseThrow(NotFoundException::new);
            return noStore(new FileView(fileId.value(), "processing", original.filename(), original.contentType(),
                    original.size(), null, null, null, null, null, null, null));
        }
        Manifest.Source source = manifest.get().source();
        if (!manifest.get().isReady()) {
            return noStore(new FileView(fileId.value(), Manifest.REJECTED, source.filename(), source.contentType(), source.size(),
                    null, null, manifest.get().reason(), null, null, null, null));
        }
        List<String> keys = new ArrayList<>();
        keys.add(source.key());
        manifest.get().variants().values().forEach(variant -> keys.add(variant.key()));
        CdnSigner.Links links = signer.fileLinks(owner, fileId, keys);
        Map<String, FileView.VariantLink> variants = new LinkedHashMap<>();
        manifest.get().variants().forEach((name, variant) -> variants.put(name, new FileView.VariantLink(
                links.urls().get(variant.key()), variant.width(), variant.height(), variant.contentType(), variant.size())));
        boolean image = source.width() != null;
        return noStore(new FileView(fileId.value(), Manifest.READY, source.filename(), source.contentType(), source.size(),
                source.width(), source.height(), null, image ? manifest.get().placeholder() : null,
                new FileView.Link(links.urls().get(source.key())), image ? variants : null, links.expiresAt()));
    }

    @DeleteMapping("/files/{fileId}")
    ResponseEntity<Void> delete(Owner owner, @PathVariable("fileId") String fileIdText) {
        FileId fileId = parse(fileIdText);
        if (!catalog.delete(owner, fileId)) {
            throw new NotFoundException();
        }
        return ResponseEntity.noContent().build();
    }

    private static FileId parse(String text) {
        FileId fileId = FileId.parse(text).orElseThrow(NotFoundException::new);
        MDC.put("fileId", fileId.value());
        return fileId;
    }

    /** Signed URLs are personal: no shared cache may keep the answer. */
    private static ResponseEntity<FileView> noStore(FileView view) {
        return ResponseEntity.ok().header("Cache-Control", "private, no-store").body(view);
    }
}
