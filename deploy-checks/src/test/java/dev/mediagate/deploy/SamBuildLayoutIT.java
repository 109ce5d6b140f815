package dev.mediagate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.local.sam.SamTemplate;
import dev.mediagate.testing.RequiredTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sam build} does for each function of {@code template.yaml} (aws-lambda-builders' Java Maven workflow):
 * copy the {@code CodeUri} folder alone, run the {@code mvn} on the PATH there with {@code clean install}, then
 * {@code dependency:copy-dependencies -DincludeScope=runtime -Dmdep.prependGroupId=true}, and package
 * {@code target/classes} with {@code target/dependency}. Run with a plain Maven 3.8 (Debian's and Ubuntu LTS's), after
 * the README's {@code ./mvnw install} step (parent POM, media-core, media-imaging, the test helpers), it must build, run
 * no test, and leave the handler and only the runtime jars that function needs.
 */
class SamBuildLayoutIT {

    @TempDir
    Path work;

    @Test
    void everyFunctionBuildsAloneFromItsCodeUriWithAPlainMaven38AndRunsNoTest() throws Exception {
        Path root = TemplateTest.ROOT;
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        Path mvn = RequiredTools.debianMaven();
        assertThat(maven(mvn, root, "-v")).as("the Maven that sam build would run").contains("Apache Maven 3.8.");
        maven(mvn, root, "install", "-DskipTests", "-pl", "functions/media-core,functions/media-imaging,functions/media-events,testing", "-am");

        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            String codeUri = template.resolve(template.properties(function).get("CodeUri"));
            String handler = template.resolve(template.properties(function).get("Handler"));
            Path scratch = work.resolve(function);
            copyWithoutTarget(root.resolve(codeUri), scratch);

            maven(mvn, scratch, "clean", "install");
            maven(mvn, scratch, "dependency:copy-dependencies", "-DincludeScope=runtime", "-Dmdep.prependGroupId=true");

            String handlerClass = handler.split("::")[0].replace('.', '/') + ".class";
            assertThat(scratch.resolve("target/classes").resolve(handlerClass)).as(function).isRegularFile();
            assertThat(scratch.resolve("target/surefire-reports")).as(function + ": sam build runs no test").doesNotExist();
            List<String> jars = fileNames(scratch.resolve("target/dependency"));
            assertThat(jars).as(function).anyMatch(jar -> jar.startsWith("dev.mediagate.media-core-"))
                    .anyMatch(jar -> jar.startsWith("com.amazonaws.aws-lambda-java-core-"))
                    .anyMatch(jar -> jar.contains(".url-connection-client-"))
                    .noneMatch(jar -> jar.contains("tests"))
                    .noneMatch(jar -> jar.contains("junit") || jar.contains("assertj") || jar.contains("s3proxy"))
                    .noneMatch(jar -> jar.contains("tomcat"))
                    .noneMatch(jar -> jar.contains(".apache-client-") || jar.contains(".apache5-client-") || jar.contains("netty-"))
                    .noneMatch(jar -> jar.startsWith("dev.mediagate.mediagate-testing-"))
                    .noneMatch(jar -> jar.startsWith("dev.mediagate.mediagate-local"));
            // Each function's jar holds only what it runs: the image engine only in the resizer, CloudFront only in the API.
            Predicate<String> imaging = jar -> jar.contains("media-imaging") || jar.contains("imageio") || jar.contains("metadata-extractor");
            switch (function) {
                case "MediaApiFunction" -> assertThat(jars).as(function).anyMatch(jar -> jar.contains(".cloudfront-"))
                        .noneMatch(imaging).noneMatch(jar -> jar.contains(".eventbridge-"));
                // ReprocessFunction is the resizer's code answering S3 Batch Operations: the same jar.
                case "ImageResizerFunction", "ReprocessFunction" -> assertThat(jars).as(function).anyMatch(jar -> jar.startsWith("dev.mediagate.media-imaging-"))
                        .anyMatch(jar -> jar.contains(".eventbridge-")).noneMatch(jar -> jar.contains(".cloudfront-") || jar.contains("spring"));
                case "EventPublisherFunction" -> assertThat(jars).as(function).anyMatch(jar -> jar.contains(".eventbridge-"))
                        .noneMatch(imaging).noneMatch(jar -> jar.contains(".cloudfront-") || jar.contains("spring") || jar.contains(".sqs-"));
                case "WebhookDeliveryFunction" -> assertThat(jars).as(function).anyMatch(jar -> jar.contains("standardwebhooks"))
                        .anyMatch(jar -> jar.contains(".sqs-")).noneMatch(imaging)
                        .noneMatch(jar -> jar.contains(".cloudfront-") || jar.contains("spring") || jar.contains(".eventbridge-"));
                case "CdnInvalidationFunction" -> assertThat(jars).as(function).anyMatch(jar -> jar.contains(".cloudfront-"))
                        .noneMatch(imaging).noneMatch(jar -> jar.contains("spring") || jar.contains(".eventbridge-"));
                case "RepairSweepFunction" -> assertThat(jars).as(function).anyMatch(jar -> jar.contains(".sqs-"))
                        .noneMatch(imaging).noneMatch(jar -> jar.contains(".cloudfront-") || jar.contains("spring") || jar.contains(".eventbridge-"));
                default -> throw new AssertionError(function + ": say what its jar must and must not hold");
            }
        }
    }

    /**
     * What {@code sam build} does for a layer with {@code BuildMethod: makefile}: copy its {@code ContentUri} folder and
     * run {@code make build-<LogicalId>} with {@code ARTIFACTS_DIR}. Done here for the host's architecture (the arm64
     * tarball is fetched and checked the same way); a tampered pin must stop the build.
     */
    @Test
    void theLibvipsLayerBuildsFromItsPinnedNpmPackageAndRefusesAnyOther() throws Exception {
        Path root = TemplateTest.ROOT;
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        Path make = RequiredTools.require("make", "GNU make, as sam build runs it for BuildMethod: makefile");
        RequiredTools.require("npm", "npm, which fetches sharp's libvips");
        String layer = System.getProperty("os.arch").contains("aarch64") ? "LibvipsArm64Layer" : "LibvipsX8664Layer";
        Path source = work.resolve("layer-source");
        copyWithoutTarget(root.resolve(template.resolve(template.properties(layer).get("ContentUri"))), source);
        Path artifacts = work.resolve("layer");

        int built = run(source, make.toString(), "build-" + layer, "ARTIFACTS_DIR=" + artifacts);

        assertThat(built).isZero();
        assertThat(artifacts.resolve("lib/libvips-cpp.so.8.18.7")).isRegularFile();
        assertThat(Files.size(artifacts.resolve("lib/libvips-cpp.so.8.18.7"))).isGreaterThan(10_000_000L);
        assertThat(artifacts.resolve("licenses/sharp-libvips/README.md")).content().contains("LGPL");
        Path pin = source.resolve("sharp-libvips.properties");
        Files.writeString(pin, Files.readString(pin).replaceAll("(integrity\\.linux-[a-z0-9]+=).*", "$1sha512-" + "A".repeat(86) + "=="));
        assertThat(run(source, make.toString(), "build-" + layer, "ARTIFACTS_DIR=" + work.resolve("tampered")))
                .as("a package that is not the pinned one").isNotZero();
        assertThat(work.resolve("tampered/lib")).doesNotExist();
    }

    /**
     * The HEIC layer (HeicSupport=true) as {@code sam build} builds it for the host's architecture: libheif and libde265
     * under the names the loader looks for, each package's copyright; a tampered SHA-256 pin stops the build.
     */
    @Test
    void theHeicLayerBuildsFromItsPinnedDebianPackagesAndRefusesAnyOther() throws Exception {
        Path root = TemplateTest.ROOT;
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"), java.util.Map.of("HeicSupport", "true"));
        Path make = RequiredTools.require("make", "GNU make, as sam build runs it for BuildMethod: makefile");
        RequiredTools.require("curl", "curl, which fetches the HEIC layer's Debian packages");
        RequiredTools.require("ar", "ar (binutils), which unpacks a Debian package");
        String layer = System.getProperty("os.arch").contains("aarch64") ? "LibheifArm64Layer" : "LibheifX8664Layer";
        String debianArch = layer.contains("Arm64") ? "arm64" : "amd64";
        Path source = work.resolve("heic-layer-source");
        copyWithoutTarget(root.resolve(template.resolve(template.properties(layer).get("ContentUri"))), source);
        Path artifacts = work.resolve("heic-layer");

        assertThat(run(source, make.toString(), "build-" + layer, "ARTIFACTS_DIR=" + artifacts)).isZero();

        for (String library : List.of("libheif.so.1", "libde265.so.0", "libx265.so.192", "libaom.so.0", "libdav1d.so.4", "libnuma.so.1")) {
            assertThat(artifacts.resolve("lib").resolve(library)).as(library).isRegularFile();
        }
        assertThat(artifacts.resolve("licenses/libde265-0/copyright")).content().contains("LGPL-3+");
        assertThat(artifacts.resolve("licenses/libheif1/copyright")).content().contains("LGPL-3+");
        Path pin = source.resolve("bullseye-packages.properties");
        Files.writeString(pin, Files.readString(pin).replaceAll("(sha256\\.libde265-0\\." + debianArch + "=).*", "$1" + "0".repeat(64)));
        assertThat(run(source, make.toString(), "build-" + layer, "ARTIFACTS_DIR=" + work.resolve("tampered-heic")))
                .as("a libde265 package that is not the pinned one").isNotZero();
        assertThat(work.resolve("tampered-heic/lib")).doesNotExist();
    }

    private static int run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor();
    }

    /** Runs Debian's Maven as sam build does, on the JDK running this test and the build's local repository. */
    private String maven(Path mvn, Path directory, String... goals) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B"));
        String localRepository = System.getProperty("maven.repo.local");
        if (localRepository != null) {
            command.add("-Dmaven.repo.local=" + localRepository);
        }
        command.addAll(List.of(goals));
        Path log = work.resolve("maven-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_OPTS");
        int exit = builder.start().waitFor();
        String output = Files.readString(log);
        assertThat(exit).as(String.join(" ", goals) + " in " + directory + ":\n" + output).isZero();
        return output;
    }

    private static void copyWithoutTarget(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files.filter(p -> !source.relativize(p).startsWith("target"))::iterator) {
                Path destination = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination);
                }
            }
        }
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted(Comparator.naturalOrder()).toList();
        }
    }
}
