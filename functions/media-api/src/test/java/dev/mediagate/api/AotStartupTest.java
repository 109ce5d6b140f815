package dev.mediagate.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.aot.AotDetector;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

/** The handler starts on the context the build's Spring AOT step generated, as the deployed function does. */
class AotStartupTest {

    @Test
    void startsOnTheBuildTimeContextWithoutParsingConfigurationOrScanningForListeners() {
        StreamLambdaHandler handler = ApiEvents.handler();

        WebApplicationContext context = WebApplicationContextUtils.getRequiredWebApplicationContext(handler.servletContext());

        assertThat(AotDetector.useGeneratedArtifacts()).isTrue();
        assertThat(context).isInstanceOf(AotContext.GeneratedServletContext.class);
        assertThat(context.containsBeanDefinition(AnnotationConfigUtils.CONFIGURATION_ANNOTATION_PROCESSOR_BEAN_NAME)).isFalse();
        assertThat(context.containsBeanDefinition(AnnotationConfigUtils.EVENT_LISTENER_PROCESSOR_BEAN_NAME)).isFalse();
        assertThat(context.getBean(MediaApiApplication.class)).isNotNull();
    }
}
