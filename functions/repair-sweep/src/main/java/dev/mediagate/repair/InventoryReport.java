package dev.mediagate.repair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * One S3 Inventory report in CSV, as S3 delivers it (S3 User Guide, "Locating your inventory list"): a
 * {@code manifest.json} under {@code {prefix}/{source-bucket}/{config-ID}/YYYY-MM-DDTHH-MMZ/} naming the gzipped CSV data
 * files, their columns ({@code fileSchema}, e.g. {@code "Bucket, Key, Size, LastModifiedDate, ETag"}) and when S3 began
 * scanning the bucket ({@code creationTimestamp}, epoch milliseconds). Every CSV field is quoted and the key is
 * URL-encoded ("Inventory list" section of the same guide).
 */
final class InventoryReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One data file of the report: its key in the inventory bucket. */
    record DataFile(String key, long size) {
    }

    /** What the sweep needs of a row: the object's key (decoded) and when it landed. */
    record Row(String key, Instant lastModified) {
    }

    private final Instant scanStartedAt;
    private final List<DataFile> files;
    private final int keyColumn;
    private final int lastModifiedColumn;

    private InventoryReport(Instant scanStartedAt, List<DataFile> files, int keyColumn, int lastModifiedColumn) {
        this.scanStartedAt = scanStartedAt;
        this.files = files;
        this.keyColumn = keyColumn;
        this.lastModifiedColumn = lastModifiedColumn;
    }

    /** @throws IllegalArgumentException when the manifest is not a CSV report with keys and last-modified dates */
    static InventoryReport parseManifest(byte[] manifestJson) {
        JsonNode manifest;
        try {
            manifest = JSON.readTree(manifestJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("the inventory manifest is not JSON");
        }
        if (!"CSV".equals(manifest.path("fileFormat").asText())) {
            throw new IllegalArgumentException("the inventory report is " + manifest.path("fileFormat").asText("of no format")
                    + ", the sweep reads CSV (template.yaml's InventoryConfigurations Format)");
        }
        List<String> columns = Arrays.stream(manifest.path("fileSchema").asText("").split(",")).map(String::strip).toList();
        int key = columns.indexOf("Key");
        int lastModified = columns.indexOf("LastModifiedDate");
        if (key < 0 || lastModified < 0) {
            throw new IllegalArgumentException("the inventory report has no Key or no LastModifiedDate column (fileSchema "
                    + columns + "): add LastModifiedDate to the inventory's OptionalFields");
        }
        String created = manifest.path("creationTimestamp").asText("");
        Instant scanStartedAt;
        try {
            scanStartedAt = Instant.ofEpochMilli(Long.parseLong(created));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the inventory manifest's creationTimestamp is not epoch milliseconds");
        }
        List<DataFile> files = new ArrayList<>();
        for (JsonNode file : manifest.path("files")) {
            files.add(new DataFile(file.path("key").asText(), file.path("size").asLong()));
        }
        return new InventoryReport(scanStartedAt, List.copyOf(files), key, lastModified);
    }

    /** When S3 began scanning the bucket for this report: no row is newer. */
    Instant scanStartedAt() {
        return scanStartedAt;
    }

    List<DataFile> files() {
        return files;
    }

    /** Every row of one gzipped data file, in order, streamed (a report of 10 million objects never sits in memory). */
    void rows(InputStream gzipped, Consumer<Row> each) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(gzipped, 1 << 16),
                StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isEmpty()) {
                    continue;
                }
                List<String> fields = fields(line);
                if (fields.size() <= Math.max(keyColumn, lastModifiedColumn)) {
                    throw new IllegalArgumentException("inventory row " + number + " has " + fields.size() + " fields");
                }
                String lastModified = fields.get(lastModifiedColumn);
                Instant landed;
                try {
                    landed = Instant.parse(lastModified);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("inventory row " + number + " has no ISO-8601 LastModifiedDate");
                }
                each.accept(new Row(URLDecoder.decode(fields.get(keyColumn), StandardCharsets.UTF_8), landed));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One CSV line (RFC 4180): quoted fields, a doubled quote inside one stands for a quote. */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
