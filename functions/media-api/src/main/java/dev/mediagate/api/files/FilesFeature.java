package dev.mediagate.api.files;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** {@code GET}, {@code PATCH} and {@code DELETE} of a file, for its owner and for service callers. */
@Configuration(proxyBeanMethods = false)
@Import({FileController.class, FileCatalog.class, FileViews.class, Publication.class, FileRemoval.class, Reprocessing.class})
public class FilesFeature {
}
