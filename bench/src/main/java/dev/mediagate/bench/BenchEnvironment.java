package dev.mediagate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Settings the handlers read at init, as system properties: presigning and signing never call AWS, so no S3 is needed. */
final class BenchEnvironment {

    private BenchEnvironment() {
    }

    static void apply() {
        System.setProperty("aws.accessKeyId", "AKIAMEDIAGATEBENCH00");
        System.setProperty("aws.secretAccessKey", "mediagate-bench-secret-key-000000000000");
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("MEDIA_BUCKET", "mediagate-bench-000000000000-eu-west-1");
    }

    static byte[] event(String name) {
        Path events = Path.of(System.getProperty("mediagate.events.dir", "events"));
        try {
            return Files.readAllBytes(events.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("run from the repository root (or set -Dmediagate.events.dir)", e);
        }
    }
}
