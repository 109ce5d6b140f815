package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sam build} does for each function of {@code template.yaml}: copy the {@code CodeUri} folder alone, run
 * {@code mvn clean install} and {@code dependency:copy-dependencies -DincludeScope=runtime} there, and package
 * {@code target/classes} with {@code target/dependency}. Proves the module builds outside the reactor once the parent
 * and media-core are installed, and that the handler and only runtime jars end up in the artifact.
 */
class SamBuildLayoutTest {

    @TempDir
    Path work;

    @Test
    void everyFunctionBuildsAloneFromItsCodeUriWithItsHandlerAndOnlyRuntimeJars() throws Exception {
        Path root = TemplateTest.ROOT;
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        maven(root, "-N", "install");
        maven(root.resolve("functions/media-core"), "install", "-DskipTests");

        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            String codeUri = template.resolve(template.properties(function).get("CodeUri"));
            String handler = template.resolve(template.properties(function).get("Handler"));
            Path scratch = work.resolve(function);
            copyWithoutTarget(root.resolve(codeUri), scratch);

            maven(scratch, "clean", "install");
            maven(scratch, "dependency:copy-dependencies", "-DincludeScope=runtime");

            String handlerClass = handler.split("::")[0].replace('.', '/') + ".class";
            assertThat(scratch.resolve("target/classes").resolve(handlerClass)).as(function).isRegularFile();
            List<String> jars = fileNames(scratch.resolve("target/dependency"));
            assertThat(jars).as(function).anyMatch(jar -> jar.startsWith("media-core-"))
                    .anyMatch(jar -> jar.startsWith("aws-lambda-java-core-"))
                    .anyMatch(jar -> jar.startsWith("url-connection-client-"))
                    .noneMatch(jar -> jar.contains("tests"))
                    .noneMatch(jar -> jar.startsWith("junit") || jar.startsWith("assertj") || jar.startsWith("s3proxy"))
                    .noneMatch(jar -> jar.contains("tomcat"))
                    .noneMatch(jar -> jar.startsWith("apache-client-") || jar.startsWith("netty-"));
        }
    }

    private void maven(Path directory, String... goals) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("maven.home")).resolve("bin/mvn").toString());
        command.addAll(List.of("-B", "-q", "-Dmaven.repo.local=" + work.resolve("m2"),
                "-Dmaven.repo.local.tail=" + System.getProperty("maven.repo.local")));
        command.addAll(List.of(goals));
        Path log = work.resolve("maven-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exit = process.waitFor();
        assertThat(exit).as(String.join(" ", goals) + " in " + directory + ":\n" + Files.readString(log)).isZero();
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
