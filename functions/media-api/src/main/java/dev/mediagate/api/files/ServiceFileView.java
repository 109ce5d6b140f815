package dev.mediagate.api.files;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * {@code GET /owners/{owner}/files/{fileId}}: the file view, plus for a processed file its manifest's {@code recipe}
 * (absent for a manifest written before recipes, which is always stale). A file still processing has none.
 */
record ServiceFileView(@JsonUnwrapped FileView view, String recipe) {
}
