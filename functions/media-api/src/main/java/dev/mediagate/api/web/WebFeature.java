package dev.mediagate.api.web;

import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** What every route shares: the caller's identity, problem+json errors and one access-log line per request. */
@Configuration(proxyBeanMethods = false)
@Import(ProblemResponses.class)
public class WebFeature implements WebMvcConfigurer {

    @Bean
    FilterRegistrationBean<CallerFilter> callerFilter() {
        FilterRegistrationBean<CallerFilter> registration = new FilterRegistrationBean<>(new CallerFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new OwnerArgumentResolver());
    }
}
