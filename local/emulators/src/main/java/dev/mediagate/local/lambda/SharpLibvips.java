package dev.mediagate.local.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The libvips the resizer runs, for this machine: sharp's npm package pinned in {@code layers/libvips}, fetched once
 * with {@code npm pack}, checked against its pinned SHA-512 and kept in a cache outside {@code target/} (so
 * {@code mvn clean} does not fetch it again). The Lambda layer is built from the same pin by that directory's Makefile.
 */
public final class SharpLibvips {

    private SharpLibvips() {
    }

    /** The shared library's path, fetching it first when the cache lacks it. */
    public static synchronized Path library() {
        Path pin = projectRoot().resolve("layers/libvips/sharp-libvips.properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(pin)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pin, e);
        }
        String version = properties.getProperty("version");
        String platform = "linux-" + architecture();
        Path directory = cache().resolve("sharp-libvips").resolve(version).resolve(platform);
        Path library = directory.resolve(properties.getProperty("library"));
        if (Files.isRegularFile(library)) {
            return library;
        }
        fetch("@img/sharp-libvips-" + platform + "@" + version, properties.getProperty("integrity." + platform),
                properties.getProperty("library"), directory);
        return library;
    }

    private static void fetch(String spec, String integrity, String libraryName, Path directory) {
        try {
            Path work = Files.createTempDirectory("sharp-libvips");
            run(work, "npm", "pack", "--silent", spec);
            Path tarball;
            try (var files = Files.list(work)) {
                tarball = files.filter(path -> path.toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("npm pack " + spec + " wrote no tarball"));
            }
            String actual = "sha512-" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(tarball)));
            if (!actual.equals(integrity)) {
                throw new IllegalStateException(spec + " is not the pinned package: integrity " + actual + ", expected " + integrity);
            }
            run(work, "tar", "-xzf", tarball.getFileName().toString());
            Files.createDirectories(directory);
            // A name of its own, so two builds fetching at once never move each other's half-written copy into place.
            Path staged = Files.createTempFile(directory, libraryName, ".part");
            Files.copy(work.resolve("package/lib").resolve(libraryName), staged, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(work.resolve("package/README.md"), directory.resolve("README.md"), StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, directory.resolve(libraryName), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch " + spec, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(Path directory, String... command) throws IOException {
        if (command[0].equals("npm") && !onPath("npm")) {
            throw new IllegalStateException("npm is not on the PATH: the resizer's libvips comes from sharp's npm package "
                    + "(install Node.js and npm, e.g. apt-get install npm)");
        }
        Process process = new ProcessBuilder(List.of(command)).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed in " + directory);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static boolean onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty()).anyMatch(entry -> Files.isExecutable(Path.of(entry, program)));
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x64";
            case "aarch64", "arm64" -> "arm64";
            default -> throw new IllegalStateException("sharp publishes no libvips for " + arch);
        };
    }

    static Path cache() {
        String own = System.getenv("MEDIAGATE_CACHE");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("mediagate");
    }

    /** The checkout: the first directory upwards from here that holds {@code template.yaml}. */
    static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isDirectory(dir.resolve("layers"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside a mediagate checkout (no template.yaml above " + Path.of("").toAbsolutePath() + ")");
    }
}
