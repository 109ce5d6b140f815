package dev.mediagate.api.files;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** {@code GET /files/{fileId}} and {@code DELETE /files/{fileId}}. */
@Configuration(proxyBeanMethods = false)
@Import({FileController.class, FileCatalog.class})
public class FilesFeature {
}
