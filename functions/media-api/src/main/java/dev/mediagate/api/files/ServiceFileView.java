package dev.mediagate.api.files;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * {@code GET /owners/{owner}/files/{fileId}}: the file view, plus for a processed file its manifest's {@code recipe}
 * (null for a manifest written before recipes) and {@code stale}: true when today's configuration would make other
 * variants, so {@code POST …/reprocess} would make them anew. A file still processing has neither.
 */
record ServiceFileView(@JsonUnwrapped FileView view, String recipe, Boolean stale) {
}
