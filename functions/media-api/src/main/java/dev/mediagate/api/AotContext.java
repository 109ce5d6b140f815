package dev.mediagate.api;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.aot.BeanRegistrationExcludeFilter;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.ThrowingSupplier;

/**
 * Runs the application on the context the build's Spring AOT step generated, when it is there: bean definitions as
 * code, so a cold start parses no configuration class. Three adjustments make that work under the serverless
 * container: Spring Boot finds the generated code next to the application's main class, which it guesses from the
 * call stack (on Lambda that is the runtime's launcher), so the class is named here; the container casts the context
 * to the class Boot uses without AOT; and {@code @EventListener} scanning is left out (see below).
 */
final class AotContext {

    static final String GENERATED_INITIALIZER = MediaApiApplication.class.getName() + "__ApplicationContextInitializer";

    private AotContext() {
    }

    /** Starts Spring through {@code start}, in AOT mode when the build generated the context. */
    static <T> T start(ThrowingSupplier<T> start) {
        if (ClassUtils.isPresent(GENERATED_INITIALIZER, AotContext.class.getClassLoader())) {
            System.setProperty(AotDetector.AOT_ENABLED, "true");
        }
        return SpringApplication.withHook(AotContext::asMediaApiApplication, start);
    }

    private static SpringApplicationRunListener asMediaApiApplication(SpringApplication application) {
        application.setMainApplicationClass(MediaApiApplication.class);
        return null;
    }

    /**
     * Leaves Spring's {@code @EventListener} scanning out of the generated context: it would read every method of every
     * bean type at startup (the S3 client's alone loads 300 SDK classes) to find listeners this application has none of.
     */
    static final class WithoutEventListenerScanning implements BeanRegistrationExcludeFilter {

        @Override
        public boolean isExcludedFromAotProcessing(RegisteredBean registeredBean) {
            return registeredBean.getBeanName().equals(AnnotationConfigUtils.EVENT_LISTENER_PROCESSOR_BEAN_NAME)
                    || registeredBean.getBeanName().equals(AnnotationConfigUtils.EVENT_LISTENER_FACTORY_BEAN_NAME);
        }
    }

    /** In AOT mode: the context class the container casts to, first among Boot's factories. */
    static final class ServletContextFactory implements ApplicationContextFactory, Ordered {

        @Override
        public ConfigurableApplicationContext create(WebApplicationType webApplicationType) {
            return webApplicationType == WebApplicationType.SERVLET && AotDetector.useGeneratedArtifacts()
                    ? new GeneratedServletContext() : null;
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    /** Empty, as Boot's AOT-mode context is: the generated initializer registers every bean, processors included. */
    static final class GeneratedServletContext extends AnnotationConfigServletWebServerApplicationContext {

        GeneratedServletContext() {
            for (String name : getBeanDefinitionNames()) {
                removeBeanDefinition(name);
            }
        }
    }
}
