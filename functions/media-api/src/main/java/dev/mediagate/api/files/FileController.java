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
        FileId fileId = requestedFileId(fileIdText);
        Optional<Manifest> manifest = catalog.manifest(owner, fileId);
        if (manifest.isEmpty()) {
            FileCatalog.Original original = catalog.original(owner, fileId).orElseThrow(NotFoundException::new);
            return noStore(FileView.processing(fileId.value(), original.filename(), original.contentType(), original.size()));
        }
        Manifest.Source source = manifest.get().source();
        if (!manifest.get().isReady()) {
            return noStore(FileView.rejected(fileId.value(), source.filename(), source.contentType(), source.size(),
                    manifest.get().reason()));
        }
        List<String> keys = new ArrayList<>();
        keys.add(source.key());
        manifest.get().variants().values().forEach(variant -> keys.add(variant.key()));
        CdnSigner.Links links = signer.fileLinks(owner, fileId, keys);
        FileView.Link original = new FileView.Link(links.urls().get(source.key()));
        if (source.width() == null) {
            return noStore(FileView.readyDocument(fileId.value(), source.filename(), source.contentType(), source.size(), original,
                    links.expiresAt()));
        }
        Map<String, FileView.VariantLink> variants = new LinkedHashMap<>();
        manifest.get().variants().forEach((name, variant) -> variants.put(name, new FileView.VariantLink(
                links.urls().get(variant.key()), variant.width(), variant.height(), variant.contentType(), variant.size())));
        return noStore(FileView.readyImage(fileId.value(), source.filename(), source.contentType(), source.size(), source.width(),
                source.height(), manifest.get().placeholder(), original, variants, links.expiresAt()));
    }

    @DeleteMapping("/files/{fileId}")
    ResponseEntity<Void> delete(Owner owner, @PathVariable("fileId") String fileIdText) {
        FileId fileId = requestedFileId(fileIdText);
        if (!catalog.delete(owner, fileId)) {
            throw new NotFoundException();
        }
        return ResponseEntity.noContent().build();
    }

    /** The path's file id, also named in this request's log lines; a malformed one is simply not found. */
    private static FileId requestedFileId(String text) {
        FileId fileId = FileId.parse(text).orElseThrow(NotFoundException::new);
        MDC.put("fileId", fileId.value());
        return fileId;
    }

    /** Signed URLs are personal: no shared cache may keep the answer. */
    private static ResponseEntity<FileView> noStore(FileView view) {
        return ResponseEntity.ok().header("Cache-Control", "private, no-store").body(view);
    }
}
