package dev.mediagate.api.files;

import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.Recipe;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** {@code GET}, {@code PATCH} and {@code DELETE} of a file, for its owner and for service callers. */
@Configuration(proxyBeanMethods = false)
@Import({FileController.class, FileCatalog.class, FileViews.class, Publication.class, FileRemoval.class})
public class FilesFeature {

    /** Today's recipe inputs, from the same variables as the resizer's, so a service caller sees which files are stale. */
    @Bean
    Recipe.Config recipeConfig(Settings settings) {
        return Recipe.Config.from(settings);
    }
}
