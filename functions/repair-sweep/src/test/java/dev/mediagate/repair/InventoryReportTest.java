package dev.mediagate.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading S3 Inventory's CSV reports: the manifest's schema, quoted fields, URL-encoded keys. */
class InventoryReportTest {

    @Test
    void columnsAreFoundByTheManifestsSchemaAndKeysAreDecoded() {
        InventoryReport report = InventoryReport.parseManifest("""
                {"creationTimestamp": "1764637200000", "fileFormat": "CSV",
                 "fileSchema": "Bucket, Key, LastModifiedDate, Size",
                 "files": [{"key": "inventory/b/originals/data/1.csv.gz", "size": 10, "MD5checksum": "x"}]}
                """.getBytes(StandardCharsets.UTF_8));
        byte[] csv = InventoryFixtures.gzip(("\"b\",\"originals/o/f%2Bg+h\",\"2026-12-01T10:00:00.000Z\",\"12\"\n"
                + "\"b\",\"originals%2Fo%2F%22q%22\",\"2026-12-01T11:00:00.000Z\",\"13\"\n").getBytes(StandardCharsets.UTF_8));
        List<InventoryReport.Row> rows = new ArrayList<>();

        report.rows(new ByteArrayInputStream(csv), rows::add);

        assertThat(report.scanStartedAt()).isEqualTo(Instant.ofEpochMilli(1764637200000L));
        assertThat(report.files()).extracting(InventoryReport.DataFile::key).containsExactly("inventory/b/originals/data/1.csv.gz");
        assertThat(rows).containsExactly(
                new InventoryReport.Row("originals/o/f+g h", Instant.parse("2026-12-01T10:00:00Z")),
                new InventoryReport.Row("originals/o/\"q\"", Instant.parse("2026-12-01T11:00:00Z")));
    }

    @Test
    void aDoubledQuoteInsideAQuotedFieldIsOneQuote() {
        assertThat(InventoryReport.fields("\"a\",\"b\"\"c\",\"\",d")).containsExactly("a", "b\"c", "", "d");
    }

    @Test
    void aReportTheSweepCannotReadIsRefusedWithTheReason() {
        assertThatThrownBy(() -> InventoryReport.parseManifest("""
                {"creationTimestamp": "1", "fileFormat": "Parquet", "fileSchema": "message s3.inventory {}", "files": []}
                """.getBytes(StandardCharsets.UTF_8))).hasMessageContaining("Parquet").hasMessageContaining("CSV");
        assertThatThrownBy(() -> InventoryReport.parseManifest("""
                {"creationTimestamp": "1", "fileFormat": "CSV", "fileSchema": "Bucket, Key, Size", "files": []}
                """.getBytes(StandardCharsets.UTF_8))).hasMessageContaining("LastModifiedDate");
        assertThatThrownBy(() -> InventoryReport.parseManifest("not json".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not JSON");
    }
}
