package dev.mediagate.api.files;

import dev.mediagate.api.cdn.CdnSigner;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.files.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a caller sees of a file, with its URLs: signed for the original and a private file's variants (the original's
 * canned URL and one policy for the variants, cached per window), plain and stable for a public file's variants.
 */
public class FileViews {

    private final FileCatalog catalog;
    private final CdnSigner signer;

    FileViews(FileCatalog catalog, CdnSigner signer) {
        this.catalog = catalog;
        this.signer = signer;
    }

    /** The file as its owner sees it, URLs valid no later than {@code notAfter}; empty when there is no such file. */
    public Optional<FileView> view(Owner owner, FileId fileId, Instant notAfter) {
        Optional<Manifest> manifest = catalog.manifest(owner, fileId);
        if (manifest.isPresent()) {
            return Optional.of(view(owner, fileId, manifest.get(), notAfter));
        }
        return catalog.original(owner, fileId).map(original -> FileView.processing(fileId.value(), owner.value(),
                original.visibility().code(), original.filename(), original.contentType(), original.size()));
    }

    FileView view(Owner owner, FileId fileId, Manifest manifest, Instant notAfter) {
        Manifest.Source source = manifest.source();
        if (!manifest.isReady()) {
            return FileView.rejected(fileId.value(), owner.value(), manifest.visibility(), source.filename(), source.contentType(),
                    source.size(), manifest.reason());
        }
        Signed signed = sign(owner, fileId, manifest, name -> true, notAfter);
        FileView.Link original = new FileView.Link(signed.originalUrl());
        if (source.width() == null) {
            return FileView.readyDocument(fileId.value(), owner.value(), manifest.visibility(), source.filename(),
                    source.contentType(), source.size(), original, signed.expiresAt());
        }
        Map<String, FileView.VariantLink> variants = new LinkedHashMap<>();
        manifest.variants().forEach((name, variant) -> {
            Map<String, FileView.AlternateLink> alternates = new LinkedHashMap<>();
            variant.alternates().forEach((type, alternate) -> alternates.put(type,
                    new FileView.AlternateLink(signed.alternateUrls().get(name).get(type), alternate.size())));
            variants.put(name, new FileView.VariantLink(signed.variantUrls().get(name), variant.width(), variant.height(),
                    variant.contentType(), variant.size(), alternates));
        });
        return FileView.readyImage(fileId.value(), owner.value(), manifest.visibility(), source.filename(), source.contentType(),
                source.size(), source.width(), source.height(), new FileView.Picture(manifest.placeholder(), manifest.thumbhash(),
                        manifest.dominantColor(), Boolean.TRUE.equals(manifest.animated()), source.frames(), source.durationMs(), manifest.focus()),
                original, variants,
                srcset(source, variants), signed.expiresAt());
    }

    /**
     * Per media type, the variants that show the whole picture (not a {@code cover} crop: those have the source's
     * shape, to a pixel of rounding) in strictly ascending width, as {@code <img srcset>} wants them. Variants that came
     * out the same width (a source smaller than several boxes is never upscaled, so they hold the same pixels) are
     * listed once: a repeated width descriptor makes the whole srcset invalid by the HTML standard.
     */
    static Map<String, String> srcset(Manifest.Source source, Map<String, FileView.VariantLink> variants) {
        List<FileView.VariantLink> whole = variants.values().stream()
                .filter(variant -> Math.abs((long) variant.width() * source.height() - (long) variant.height() * source.width())
                        <= Math.max(source.width(), source.height()))
                .sorted(java.util.Comparator.comparingInt(FileView.VariantLink::width))
                .toList();
        // Per media type, each width once: the first (smallest box) variant that came out at it.
        Map<String, Map<Integer, String>> candidates = new LinkedHashMap<>();
        for (FileView.VariantLink variant : whole) {
            candidates.computeIfAbsent(variant.contentType(), type -> new LinkedHashMap<>()).putIfAbsent(variant.width(), variant.url());
            variant.alternates().forEach((type, alternate) ->
                    candidates.computeIfAbsent(type, t -> new LinkedHashMap<>()).putIfAbsent(variant.width(), alternate.url()));
        }
        Map<String, String> srcset = new LinkedHashMap<>();
        candidates.forEach((type, byWidth) -> {
            List<String> list = new ArrayList<>();
            byWidth.forEach((width, url) -> list.add(url + " " + width + "w"));
            srcset.put(type, String.join(", ", list));
        });
        return srcset;
    }

    /** URLs for a ready file's original and the variants {@code wanted} names: at most two RSA signatures. */
    public Signed sign(Owner owner, FileId fileId, Manifest manifest, Predicate<String> wanted, Instant notAfter) {
        boolean published = manifest.visibilityValue() == Visibility.PUBLIC;
        List<String> keys = new ArrayList<>();
        keys.add(manifest.source().key());
        manifest.variants().forEach((name, variant) -> {
            if (wanted.test(name) && !published) {
                keys.addAll(variant.keys());
            }
        });
        CdnSigner.Links links = signer.fileLinks(owner, fileId, keys, notAfter);
        Map<String, String> variantUrls = new LinkedHashMap<>();
        Map<String, Map<String, String>> alternateUrls = new LinkedHashMap<>();
        manifest.variants().forEach((name, variant) -> {
            if (wanted.test(name)) {
                variantUrls.put(name, published ? signer.publicUrl(variant.key()) : links.urls().get(variant.key()));
                Map<String, String> alternates = new LinkedHashMap<>();
                variant.alternates().forEach((type, alternate) -> alternates.put(type,
                        published ? signer.publicUrl(alternate.key()) : links.urls().get(alternate.key())));
                alternateUrls.put(name, alternates);
            }
        });
        return new Signed(links.urls().get(manifest.source().key()), variantUrls, alternateUrls, links.expiresAt());
    }

    /** The original's URL, each wanted variant's, and by variant name and media type its alternates'. */
    public record Signed(String originalUrl, Map<String, String> variantUrls, Map<String, Map<String, String>> alternateUrls,
            Instant expiresAt) {
    }
}
