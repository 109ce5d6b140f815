package dev.mediagate.core.upload;

import dev.mediagate.core.files.FileType;
import dev.mediagate.core.files.Visibility;
import java.util.Optional;

/** A validated {@code POST /uploads} body: what will be signed into the upload URL, and whether it goes in parts. */
public record UploadRequest(String filename, FileType contentType, long size, Optional<String> checksumSha256,
        Visibility visibility, boolean multipart) {
}
