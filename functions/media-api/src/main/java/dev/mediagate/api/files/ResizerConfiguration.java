package dev.mediagate.api.files;

import com.amazonaws.serverless.proxy.RequestReader;
import dev.mediagate.core.files.Recipe;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration the resizer makes variants with today, as the API learns it: from the HTTP API stage's variable
 * {@value #STAGE_VARIABLE} ({@code variants=…&formats=…&jpegQuality=…}, which template.yaml fills from the same
 * parameters as the resizer's {@code VARIANTS}, {@code VARIANT_FORMATS} and {@code JPEG_QUALITY}); the engine is the
 * constant both functions share ({@link Recipe#currentEngine()}).
 *
 * <p>Why a stage variable and not the API's environment: the API's published version (SnapStart) is replaced only when
 * its version description changes, and that description has no room for {@code Variants} (docs/reprocessing.md). A
 * stage variable is updated in place by every deploy and arrives with each request (payload 2.0's
 * {@code stageVariables}), so the API never answers from an older configuration than the stack's.
 */
final class ResizerConfiguration {

    static final String STAGE_VARIABLE = "resizerConfig";
    private static final Logger log = LoggerFactory.getLogger(ResizerConfiguration.class);

    private ResizerConfiguration() {
    }

    /** Today's configuration for this request; empty when the stage has no (well-formed) variable. */
    static Optional<Recipe.Config> of(HttpServletRequest request) {
        Object variables = request.getAttribute(RequestReader.HTTP_API_STAGE_VARS_PROPERTY);
        if (!(variables instanceof Map<?, ?> map) || !(map.get(STAGE_VARIABLE) instanceof String text)) {
            return Optional.empty();
        }
        Optional<Recipe.Config> config = Recipe.Config.fromStageVariable(text);
        if (config.isEmpty()) {
            log.atWarn().addKeyValue("stageVariable", STAGE_VARIABLE).log("the stage variable is malformed: every reprocess request is queued");
        }
        return config;
    }
}
