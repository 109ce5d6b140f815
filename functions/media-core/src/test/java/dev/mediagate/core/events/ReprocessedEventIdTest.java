package dev.mediagate.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Owner;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReprocessedEventIdTest {

    private final Owner owner = Owner.of("https://issuer.example", "alice");
    private final FileId fileId = FileId.random();
    private final Manifest first = new Manifest(2, fileId.value(), Manifest.READY, null, "private",
            new Manifest.Source("originals/o/f", "etag", "a.jpg", "image/jpeg", 100, 30, 40, null, null),
            Map.of("thumb", new Manifest.VariantEntry("variants/o/f/thumb.jpg", 30, 40, "image/jpeg", 10)), null,
            "2026-12-02T10:00:00Z", null, null);

    @Test
    void eachReprocessingOfTheSameBytesIsAFileReadyOfItsOwnWhileARedeliveryKeepsItsId() {
        String original = FileEvents.fromManifest(owner, fileId, first, "https://cdn.example").id();
        String reprocessed = FileEvents.fromManifest(owner, fileId, first.withGeneration("g1"), "https://cdn.example").id();
        String again = FileEvents.fromManifest(owner, fileId, first.withGeneration("g2"), "https://cdn.example").id();

        assertThat(FileEvents.fromManifest(owner, fileId, first, "https://cdn.example").id()).isEqualTo(original);
        assertThat(reprocessed).isNotEqualTo(original).isNotEqualTo(again);
        assertThat(FileEvents.fromManifest(owner, fileId, first.withGeneration("g1"), "https://cdn.example").type())
                .isEqualTo(FileEvent.READY);
    }
}
