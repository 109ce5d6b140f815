package dev.mediagate.repair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.zip.GZIPOutputStream;

/** S3 Inventory reports as S3 writes them (CSV, every field quoted, keys URL-encoded), for the sweep's tests. */
final class InventoryFixtures {

    static final String MEDIA_BUCKET = "mediagate-dev-000000000000-us-east-1";
    static final String REPORTS_PREFIX = "inventory/" + MEDIA_BUCKET + "/originals/";

    private InventoryFixtures() {
    }

    /**
     * Writes a report whose scan started at {@code scanStartedAt}, one data file listing {@code originals} (key → when it
     * landed), through {@code put}; returns the report's folder.
     */
    static String report(Instant scanStartedAt, Map<String, Instant> originals, BiConsumer<String, byte[]> put) {
        String folder = REPORTS_PREFIX + scanStartedAt.toString().substring(0, 16).replace(':', '-') + "Z/";
        String dataKey = REPORTS_PREFIX + "data/" + scanStartedAt.toEpochMilli() + ".csv.gz";
        StringBuilder csv = new StringBuilder();
        originals.forEach((key, landed) -> csv.append('"').append(MEDIA_BUCKET).append("\",\"")
                .append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append("\",\"1234\",\"").append(landed)
                .append("\",\"0123456789abcdef0123456789abcdef\"\n"));
        byte[] data = gzip(csv.toString().getBytes(StandardCharsets.UTF_8));
        put.accept(dataKey, data);
        String manifest = """
                {"sourceBucket": "%s", "destinationBucket": "arn:aws:s3:::%s-inventory", "version": "2016-11-30",
                 "creationTimestamp": "%d", "fileFormat": "CSV", "fileSchema": "Bucket, Key, Size, LastModifiedDate, ETag",
                 "files": [{"key": "%s", "size": %d, "MD5checksum": "00000000000000000000000000000000"}]}
                """.formatted(MEDIA_BUCKET, MEDIA_BUCKET, scanStartedAt.toEpochMilli(), dataKey, data.length);
        put.accept(folder + "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        return folder;
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An original key of the contract's layout: a 32-character owner, a file id. */
    static String original(int n) {
        return "originals/" + "a".repeat(31) + (char) ('a' + n % 26) + "/" + fileId(n);
    }

    static String manifestOf(String original) {
        String[] parts = original.split("/");
        return "variants/" + parts[1] + "/" + parts[2] + "/manifest.json";
    }

    private static String fileId(int n) {
        return FILE_IDS[n];
    }

    /** Valid file ids (FileId's format), one per test original. */
    private static final String[] FILE_IDS = new String[200];

    static {
        for (int i = 0; i < FILE_IDS.length; i++) {
            FILE_IDS[i] = dev.mediagate.core.files.FileId.random().value();
        }
    }
}
