package dev.mediagate.local.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The HEIC layer ({@code HeicSupport=true}) for this machine, laid out as {@code sam build} lays it out: its Makefile in
 * {@code layers/libheif} run once ({@code make build-<LogicalId> ARTIFACTS_DIR=…}, the pinned Debian packages checked
 * by their SHA-256) into a cache outside {@code target/}, keyed by the pins, so a new pin builds it again.
 */
public final class HeicLayer {

    private HeicLayer() {
    }

    /** {@code lib/libheif.so.1} of the built layer (its dependencies beside it), building it first when the cache lacks it. */
    public static synchronized Path library() {
        Path source = SharpLibvips.projectRoot().resolve("layers/libheif");
        String layer = architecture().equals("arm64") ? "LibheifArm64Layer" : "LibheifX8664Layer";
        Path directory;
        try {
            byte[] pins = Files.readAllBytes(source.resolve("bullseye-packages.properties"));
            byte[] makefile = Files.readAllBytes(source.resolve("Makefile"));
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(pins);
            digest.update(makefile);
            directory = SharpLibvips.cache().resolve("libheif-layer").resolve(HexFormat.of().formatHex(digest.digest()).substring(0, 16))
                    .resolve(layer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path library = directory.resolve("lib/libheif.so.1");
        if (Files.isRegularFile(library)) {
            return library;
        }
        build(source, layer, directory);
        return library;
    }

    private static void build(Path source, String layer, Path directory) {
        try {
            Files.createDirectories(directory.getParent());
            // Built beside its final place and moved there whole: two builds at once never see half a layer.
            Path staged = Files.createTempDirectory(directory.getParent(), layer + "-");
            Path work = Files.createTempDirectory("libheif-layer-source");
            for (String file : List.of("Makefile", "bullseye-packages.properties")) {
                Files.copy(source.resolve(file), work.resolve(file));
            }
            Path log = work.resolve("make.log");
            Process process = new ProcessBuilder("make", "build-" + layer, "ARTIFACTS_DIR=" + staged.resolve("layer"))
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("make build-" + layer + " failed in " + work + " (make, curl, openssl, ar, tar "
                        + "and xz are needed; docs/deploy.md, The HEIC layer):\n" + Files.readString(log));
            }
            try {
                Files.move(staged.resolve("layer"), directory, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // Another build finished first: its layer is the same bytes.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the HEIC layer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the HEIC layer", e);
        }
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64";
    }
}
