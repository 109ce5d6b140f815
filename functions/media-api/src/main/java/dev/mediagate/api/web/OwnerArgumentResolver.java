package dev.mediagate.api.web;

import dev.mediagate.core.files.Owner;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Hands controllers the {@link Owner} whose files a request concerns: the caller's own, which only ever comes from the
 * verified token, or on a service route ({@code /owners/{owner}/…}, checked for the service scope by the filter) the
 * owner the path names. An owner segment that cannot exist is simply not found.
 */
final class OwnerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Owner.class;
    }

    @Override
    public Owner resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Object caller = webRequest.getAttribute(CallerFilter.OWNER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (!(caller instanceof Owner known)) {
            throw new IllegalStateException("CallerFilter did not run for this request");
        }
        if (webRequest.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
                instanceof Map<?, ?> variables && variables.get("owner") instanceof String named) {
            if (!Boolean.TRUE.equals(webRequest.getAttribute(CallerFilter.SERVICE_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST))) {
                throw new IllegalStateException("an owner in the path outside the service routes");
            }
            if (!Owner.isOwnerSegment(named)) {
                throw new NotFoundException();
            }
            return new Owner(named);
        }
        return known;
    }
}
