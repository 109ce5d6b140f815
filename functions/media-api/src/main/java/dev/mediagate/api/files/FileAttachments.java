package dev.mediagate.api.files;

import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Owner;

/** What other features keep about a file (share links), removed with it. */
public interface FileAttachments {

    void deleteAll(Owner owner, FileId fileId);
}
