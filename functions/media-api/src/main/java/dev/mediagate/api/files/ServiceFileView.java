package dev.mediagate.api.files;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * {@code GET /owners/{owner}/files/{fileId}}: the file view, plus for a processed file its manifest's {@code recipe}
 * (absent for a manifest written before recipes, which is always stale) and {@code stale}: whether that recipe is not
 * today's (absent when the API cannot tell, see {@link ResizerConfiguration}). A file still processing has neither.
 */
record ServiceFileView(@JsonUnwrapped FileView view, String recipe, Boolean stale) {
}
