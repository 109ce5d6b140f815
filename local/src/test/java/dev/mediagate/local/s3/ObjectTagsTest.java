package dev.mediagate.local.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3 keeps no tags of a deleted object, and a new object under the same key starts without the old one's. */
class ObjectTagsTest {

    @TempDir
    Path directory;

    @Test
    void removedTagsAreGoneAndOtherObjectsKeepTheirs() {
        ObjectTags tags = new ObjectTags(directory);
        tags.put("media", "originals/o/f", Map.of("GuardDutyMalwareScanStatus", "NO_THREATS_FOUND"));
        tags.put("media", "originals/o/g", Map.of("GuardDutyMalwareScanStatus", "THREATS_FOUND"));

        tags.remove("media", "originals/o/f");
        tags.remove("media", "originals/o/never-tagged");

        assertThat(tags.of("media", "originals/o/f")).isEmpty();
        assertThat(tags.of("media", "originals/o/g")).containsEntry("GuardDutyMalwareScanStatus", "THREATS_FOUND");
    }
}
