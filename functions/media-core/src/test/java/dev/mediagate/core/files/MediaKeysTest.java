package dev.mediagate.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaKeysTest {

    private final Owner owner = Owner.of("https://auth.example.com/", "alice");
    private final FileId fileId = FileId.parse("0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d").orElseThrow();

    @Test
    void laysOutOriginalsVariantsAndTheManifest() {
        assertThat(MediaKeys.original(owner, fileId)).isEqualTo("originals/" + owner + "/" + fileId);
        assertThat(MediaKeys.variant(owner, fileId, "thumb", "jpg")).isEqualTo("variants/" + owner + "/" + fileId + "/thumb.jpg");
        assertThat(MediaKeys.manifest(owner, fileId)).isEqualTo("variants/" + owner + "/" + fileId + "/manifest.json");
    }

    @Test
    void parsesAnOriginalKeyBackIntoOwnerAndFile() {
        assertThat(MediaKeys.parseOriginal(MediaKeys.original(owner, fileId)))
                .hasValueSatisfying(key -> assertThat(key).isEqualTo(new MediaKeys.OriginalKey(owner, fileId)));
    }

    @Test
    void refusesKeysOutsideTheOriginalsLayout() {
        assertThat(MediaKeys.parseOriginal(MediaKeys.manifest(owner, fileId))).isEmpty();
        assertThat(MediaKeys.parseOriginal("originals/" + owner + "/" + fileId + "/x")).isEmpty();
        assertThat(MediaKeys.parseOriginal("originals/../" + fileId)).isEmpty();
        assertThat(MediaKeys.parseOriginal("originals/" + owner + "/not-a-file-id")).isEmpty();
    }

    @Test
    void fileIdsAreRandomVersion4Uuids() {
        assertThat(FileId.random()).isNotEqualTo(FileId.random());
        assertThat(FileId.random().value()).matches("[0-9a-f-]{36}");
        assertThat(FileId.parse("../../etc")).isEmpty();
        assertThat(FileId.parse("0B0E1C7E-3F1A-4D2B-9C8D-7E6F5A4B3C2D")).isEmpty();
    }
}
