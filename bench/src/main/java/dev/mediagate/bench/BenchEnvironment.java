package dev.mediagate.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Settings the handlers read at init, as system properties. Presigning and signing never call AWS; priming's
 * {@code GET /files} reads a manifest, so an empty bucket answers it, as S3 answers for a file not uploaded yet. The
 * one exception is the multipart upload of {@code events/api-sign-upload-parts.json}: its record and an open upload
 * with no parts, so that signing part URLs has something to sign for.
 */
final class BenchEnvironment {

    private BenchEnvironment() {
    }

    static void apply() {
        System.setProperty("aws.accessKeyId", "AKIAMEDIAGATEBENCH00");
        System.setProperty("aws.secretAccessKey", "mediagate-bench-secret-key-000000000000");
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("MEDIA_BUCKET", "mediagate-bench-000000000000-eu-west-1");
        System.setProperty("AWS_ENDPOINT_URL_S3", emptyBucket());
        System.setProperty("S3_FORCE_PATH_STYLE", "true");
        System.setProperty("CDN_BASE_URL", "https://d111111abcdef8.cloudfront.net");
        System.setProperty("CDN_KEY_PAIR_ID", "K2MEDIAGATEBENCH");
        System.setProperty("CDN_INVALIDATION_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/000000000000/mediagate-bench-cdn-invalidations");
        // bench/run passes a key made once, so that cold starts do not include generating one.
        String keyFile = System.getProperty("mediagate.bench.key");
        System.setProperty("CDN_PRIVATE_KEY_FILE", keyFile != null ? keyFile : privateKeyFile().toString());
    }

    /** The multipart upload every sign-parts event names: 1 GiB in 8 MiB parts. */
    static final String UPLOAD_ID = "VXBsb2FkIElEIGZvciBleGFtcGxlLg-example";
    private static final byte[] UPLOAD_RECORD = ("{\"version\":1,\"uploadId\":\"" + UPLOAD_ID + "\",\"size\":1073741824,"
            + "\"partSize\":8388608,\"createdAt\":\"2026-11-27T10:00:00Z\",\"expiresAt\":\"2026-11-28T10:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] NO_PARTS_YET = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListPartsResult><UploadId>" + UPLOAD_ID
            + "</UploadId><IsTruncated>false</IsTruncated></ListPartsResult>").getBytes(StandardCharsets.UTF_8);

    /** An S3 endpoint on loopback where no object exists but that one upload: 404 NoSuchKey for every other request. */
    private static String emptyBucket() {
        // Without TCP_NODELAY, a response written in two pieces waits out the client's delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] noSuchKey = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>"
                    .getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                String query = exchange.getRequestURI().getRawQuery();
                boolean get = exchange.getRequestMethod().equals("GET");
                byte[] found = !get ? null : exchange.getRequestURI().getPath().contains("/uploads/") ? UPLOAD_RECORD
                        : query != null && query.contains("uploadId=" + UPLOAD_ID) ? NO_PARTS_YET : null;
                if (found != null) {
                    exchange.sendResponseHeaders(200, found.length);
                    exchange.getResponseBody().write(found);
                    exchange.close();
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
                boolean head = exchange.getRequestMethod().equals("HEAD");
                exchange.sendResponseHeaders(404, head ? -1 : noSuchKey.length);
                if (!head) {
                    exchange.getResponseBody().write(noSuchKey);
                }
                exchange.close();
            });
            server.setExecutor(null);
            server.start();
            return "http://127.0.0.1:" + server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
