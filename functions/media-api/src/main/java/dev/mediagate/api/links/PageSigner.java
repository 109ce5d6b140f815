package dev.mediagate.api.links;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mediagate.api.files.FileCatalog;
import dev.mediagate.api.files.FileViews;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Owner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Signs a page of files for a backend: the manifests are read in parallel (virtual threads, at most
 * {@value #PARALLEL_READS} S3 calls at a time), then each ready file costs at most two RSA signatures, none when it was
 * signed in the same window before.
 */
class PageSigner {

    static final int PARALLEL_READS = 16;

    private final FileCatalog catalog;
    private final FileViews views;

    PageSigner(FileCatalog catalog, FileViews views) {
        this.catalog = catalog;
        this.views = views;
    }

    record FileRef(Owner owner, FileId fileId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String owner, String fileId, String status, String reason, String error, Link original,
            Map<String, VariantLink> variants) {
    }

    record Link(String url) {
    }

    record VariantLink(String url, int width, int height, String contentType) {
    }

    record Page(List<Entry> files, Instant urlsExpireAt) {
    }

    Page sign(List<FileRef> files, Optional<Set<String>> variants) {
        List<Outcome> results = new ArrayList<>(files.size());
        Semaphore permits = new Semaphore(PARALLEL_READS);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Outcome>> pending = new ArrayList<>(files.size());
            for (FileRef file : files) {
                pending.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return entry(file, variants);
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (Future<Outcome> future : pending) {
                results.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signing a page of files", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
        Instant expiry = results.stream().map(Outcome::expiresAt).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
        return new Page(results.stream().map(Outcome::entry).toList(), expiry);
    }

    /** An entry and when its URLs stop working (null without URLs). */
    private record Outcome(Entry entry, Instant expiresAt) {
    }

    private Outcome entry(FileRef file, Optional<Set<String>> variants) {
        Optional<Manifest> manifest = catalog.manifest(file.owner(), file.fileId());
        if (manifest.isEmpty()) {
            return new Outcome(catalog.original(file.owner(), file.fileId()).isPresent()
                    ? new Entry(file.owner().value(), file.fileId().value(), "processing", null, null, null, null)
                    : new Entry(file.owner().value(), file.fileId().value(), null, null, "not-found", null, null), null);
        }
        if (!manifest.get().isReady()) {
            return new Outcome(new Entry(file.owner().value(), file.fileId().value(), manifest.get().status().code(),
                    manifest.get().reason(), null, null, null), null);
        }
        FileViews.Signed signed = views.sign(file.owner(), file.fileId(), manifest.get(),
                name -> variants.map(wanted -> wanted.contains(name)).orElse(true), Instant.MAX);
        Map<String, VariantLink> links = new LinkedHashMap<>();
        signed.variantUrls().forEach((name, url) -> {
            Manifest.VariantEntry variant = manifest.get().variants().get(name);
            links.put(name, new VariantLink(url, variant.width(), variant.height(), variant.contentType()));
        });
        return new Outcome(new Entry(file.owner().value(), file.fileId().value(), manifest.get().status().code(), null, null,
                new Link(signed.originalUrl()), manifest.get().source().width() == null ? null : links), signed.expiresAt());
    }
}
