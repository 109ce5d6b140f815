package dev.mediagate.api.web;

import dev.mediagate.core.files.Owner;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands controllers the caller's {@link Owner}, which only ever comes from the verified token, never from the body. */
final class OwnerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Owner.class;
    }

    @Override
    public Owner resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Object owner = webRequest.getAttribute(CallerFilter.OWNER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (owner instanceof Owner known) {
            return known;
        }
        throw new IllegalStateException("CallerFilter did not run for this request");
    }
}
