package dev.mediagate.core;

import java.util.Optional;

/** A validated {@code POST /uploads} body: what will be signed into the upload URL. */
public record UploadRequest(String filename, MediaType contentType, long size, Optional<String> checksumSha256) {
}
