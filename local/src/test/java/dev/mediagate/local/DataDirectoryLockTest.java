package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTest {

    @TempDir
    Path data;

    @Test
    void aSecondWriterOfTheDirectoryIsRefusedAndToldWhoHoldsIt() {
        try (DataDirectoryLock stack = DataDirectoryLock.take(data, "a local stack that is starting")) {
            stack.describe("a running local stack (API on http://127.0.0.1:3000/)");

            assertThatThrownBy(() -> DataDirectoryLock.take(data, "reprocess"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(data + " is in use by a running local stack (API on http://127.0.0.1:3000/)");
        }
    }

    @Test
    void theDirectoryIsFreeAgainOnceItsHolderLetsGo() {
        DataDirectoryLock.take(data, "reprocess").close();

        try (DataDirectoryLock again = DataDirectoryLock.take(data, "a local stack that is starting")) {
            assertThat(data.resolve(DataDirectoryLock.FILE)).hasContent("a local stack that is starting");
        }
    }
}
