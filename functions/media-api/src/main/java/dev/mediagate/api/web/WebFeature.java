package dev.mediagate.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** What every route shares: JSON, the caller's identity, problem+json errors and one access-log line per request. */
@Configuration(proxyBeanMethods = false)
@Import({ProblemResponses.class, CallerController.class})
public class WebFeature implements WebMvcConfigurer {

    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}");

    /**
     * The API's JSON: records as the contract spells them (absent rather than null fields, instants in ISO-8601), and
     * request bodies read strictly (a repeated field is an error). Built here rather than by Boot's Jackson
     * auto-configuration, whose modules and property binding this API does not use and every cold start would pay for.
     */
    @Bean
    ObjectMapper objectMapper() {
        return JsonMapper.builder()
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(new SimpleModule("instants").addSerializer(Instant.class, ToStringSerializer.instance))
                .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
                .build();
    }

    @Bean
    FilterRegistrationBean<CallerFilter> callerFilter(Settings settings) {
        FilterRegistrationBean<CallerFilter> registration = new FilterRegistrationBean<>(new CallerFilter(serviceScope(settings)));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** The OAuth scope of the service routes ({@code SERVICE_SCOPE}): one scope token, as RFC 6749 spells them. */
    static String serviceScope(Settings settings) {
        String scope = settings.string("SERVICE_SCOPE", "mediagate/service");
        if (!SCOPE_TOKEN.matcher(scope).matches()) {
            throw new ConfigurationException("SERVICE_SCOPE", "must be one scope token (printable ASCII, no space, quote or backslash)");
        }
        return scope;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new RouteKeyCheck());
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new OwnerArgumentResolver());
    }
}
