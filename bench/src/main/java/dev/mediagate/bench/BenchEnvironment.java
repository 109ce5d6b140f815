package dev.mediagate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Settings the handlers read at init, as system properties: presigning and signing never call AWS, so no S3 is needed. */
final class BenchEnvironment {

    private BenchEnvironment() {
    }

    static void apply() {
        System.setProperty("aws.accessKeyId", "AKIAMEDIAGATEBENCH00");
        System.setProperty("aws.secretAccessKey", "mediagate-bench-secret-key-000000000000");
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("MEDIA_BUCKET", "mediagate-bench-000000000000-eu-west-1");
        // No S3 here: priming's GET /files meets a refused connection at once instead of a DNS wait.
        System.setProperty("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9");
        System.setProperty("S3_FORCE_PATH_STYLE", "true");
        System.setProperty("CDN_BASE_URL", "https://d111111abcdef8.cloudfront.net");
        System.setProperty("CDN_KEY_PAIR_ID", "K2MEDIAGATEBENCH");
        // bench/run passes a key made once, so that cold starts do not include generating one.
        String keyFile = System.getProperty("mediagate.bench.key");
        System.setProperty("CDN_PRIVATE_KEY_FILE", keyFile != null ? keyFile : privateKeyFile().toString());
    }

    /** A fresh RSA-2048 signing key, as PKCS#8 PEM in a temporary file. */
    private static Path privateKeyFile() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
            Path file = Files.createTempFile("mediagate-bench-key", ".pem");
            file.toFile().deleteOnExit();
            Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                    + "\n-----END PRIVATE KEY-----\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
