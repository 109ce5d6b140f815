package dev.mediagate.deploy;

import static dev.mediagate.local.sam.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.deploy.ElfFile.Machine;
import dev.mediagate.deploy.ElfFile.VersionNeed;
import dev.mediagate.local.sam.SamTemplate;
import dev.mediagate.testing.RequiredTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each libvips layer, and the HEIC layer for this machine's architecture (HeicSupport=true), built as {@code sam build} builds it ({@code make build-<LogicalId>} with {@code ARTIFACTS_DIR},
 * both architectures), loads on the {@code java25} runtime: every ELF file in it needs only libraries that the layer
 * itself holds or that glibc provides, glibc symbol versions no newer than Amazon Linux 2023's glibc 2.34 (java25's
 * base), and from the layer's own libraries only versions they define. Nothing else on the runtime's image is relied
 * on (whether the java25 image carries a C++ runtime is not documented; a Java runtime has no need of one).
 */
class LibvipsLayerIT {

    /** glibc on Amazon Linux 2023, the base of Lambda's java25 runtime. */
    static final int[] RUNTIME_GLIBC = {2, 34};
    /** The libraries glibc itself installs (with its dynamic loader): always there, at the runtime's version. */
    static final Set<String> GLIBC_LIBRARIES = Set.of("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0",
            "librt.so.1", "libresolv.so.2", "libutil.so.1", "libanl.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1");
    private static final Pattern GLIBC_VERSION = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)(?:\\.\\d+)?");

    @TempDir
    Path work;

    @Test
    void everyLibraryOfEachLayerNeedsOnlyTheLayerAndGlibcUpTo234() throws Exception {
        Path root = TemplateTest.ROOT;
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        Path make = RequiredTools.require("make", "GNU make, as sam build runs it for BuildMethod: makefile");
        RequiredTools.require("npm", "npm, which fetches sharp's libvips");
        RequiredTools.require("curl", "curl, which fetches the C++ runtime's Debian packages");
        RequiredTools.require("ar", "ar (binutils), which unpacks a Debian package");
        List<String> layers = template.logicalIdsOfType("AWS::Serverless::LayerVersion").stream()
                .filter(id -> "makefile".equals(map(template.resource(id).get("Metadata")).get("BuildMethod"))).toList();
        assertThat(layers).containsExactlyInAnyOrder("LibvipsArm64Layer", "LibvipsX8664Layer", "LibheifArm64Layer", "LibheifX8664Layer");
        String hostHeicLayer = System.getProperty("os.arch").contains("aarch64") ? "LibheifArm64Layer" : "LibheifX8664Layer";

        for (String layer : List.of("LibvipsArm64Layer", "LibvipsX8664Layer")) {
            Path artifacts = build(template, make, layer);
            Machine machine = machine(template, layer);
            List<ElfFile> files = elfFiles(artifacts);
            Map<String, ElfFile> byName = libraries(artifacts, files);
            check(layer, artifacts, files, byName, machine);
            assertThat(files).as(layer).extracting(f -> f.path().getFileName().toString())
                    .contains("libvips-cpp.so.8.18.7", "libstdc++.so.6", "libgcc_s.so.1");
            if (machine(template, hostHeicLayer) == machine) {
                // The HEIC layer is unpacked into the same /opt/lib: its libraries may use the libvips layer's C++
                // runtime, and nothing else but glibc.
                Path heic = build(template, make, hostHeicLayer);
                List<ElfFile> heicFiles = elfFiles(heic);
                Map<String, ElfFile> both = new HashMap<>(byName);
                both.putAll(libraries(heic, heicFiles));
                check(hostHeicLayer, heic, heicFiles, both, machine);
                assertThat(heicFiles).as(hostHeicLayer).extracting(f -> f.path().getFileName().toString())
                        .contains("libheif.so.1", "libde265.so.0");
            }
        }
    }

    private static Machine machine(SamTemplate template, String layer) {
        return "arm64".equals(map(template.resource(layer).get("Metadata")).get("BuildArchitecture")) ? Machine.AARCH64 : Machine.X86_64;
    }

    /** The layer's own libraries under {@code lib/}, by file name and by SONAME. */
    private static Map<String, ElfFile> libraries(Path artifacts, List<ElfFile> files) {
        Map<String, ElfFile> byName = new HashMap<>();
        for (ElfFile file : files) {
            if (file.path().getParent().equals(artifacts.resolve("lib"))) {
                byName.put(file.path().getFileName().toString(), file);
                file.soname().ifPresent(soname -> byName.put(soname, file));
            }
        }
        return byName;
    }

    /** Every ELF file of the layer: its machine, and each library and symbol version it needs, found in byName or glibc. */
    private static void check(String layer, Path artifacts, List<ElfFile> files, Map<String, ElfFile> byName, Machine machine) {
        for (ElfFile file : files) {
            String what = layer + ": " + artifacts.relativize(file.path());
            assertThat(file.machine()).as(what).isEqualTo(machine);
            for (String library : file.needed()) {
                assertThat(byName.containsKey(library) || GLIBC_LIBRARIES.contains(library))
                        .as(what + " needs " + library + ", which is neither in the layer's lib/ nor part of glibc").isTrue();
            }
            for (VersionNeed need : file.versionsNeeded()) {
                for (String version : need.versions()) {
                    if (GLIBC_LIBRARIES.contains(need.library())) {
                        assertThat(atMostRuntimeGlibc(version)).as(what + " needs " + version + " from " + need.library()
                                + ", newer than the java25 runtime's glibc 2.34").isTrue();
                    } else {
                        assertThat(byName.get(need.library())).as(what + " needs " + need.library()).isNotNull();
                        assertThat(byName.get(need.library()).versionsDefined()).as(what + " needs " + version + " from "
                                + need.library() + ", which the layer's copy does not define").contains(version);
                    }
                }
            }
        }
    }

    private Path build(SamTemplate template, Path make, String layer) throws IOException, InterruptedException {
        Path source = work.resolve(layer + "-source");
        copy(TemplateTest.ROOT.resolve(template.resolve(template.properties(layer).get("ContentUri"))), source);
        Path artifacts = work.resolve(layer);
        Path log = work.resolve(layer + ".log");
        int exit = new ProcessBuilder(make.toString(), "build-" + layer, "ARTIFACTS_DIR=" + artifacts)
                .directory(source.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
        assertThat(exit).as("make build-" + layer + ":\n" + Files.readString(log)).isZero();
        return artifacts;
    }

    static boolean atMostRuntimeGlibc(String version) {
        Matcher matcher = GLIBC_VERSION.matcher(version);
        if (!matcher.matches()) {
            return false;
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        return major < RUNTIME_GLIBC[0] || major == RUNTIME_GLIBC[0] && minor <= RUNTIME_GLIBC[1];
    }

    private static List<ElfFile> elfFiles(Path directory) throws IOException {
        List<ElfFile> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) all::iterator) {
                if (ElfFile.isElf(path)) {
                    files.add(ElfFile.read(path));
                }
            }
        }
        return files;
    }

    private static void copy(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path destination = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination);
                }
            }
        }
    }
}
