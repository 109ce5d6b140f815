package dev.mediagate.api.shares;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Share links: {@code /files/{fileId}/shares}, the service callers' twin routes, and {@code GET /shared/{token}}. */
@Configuration(proxyBeanMethods = false)
@Import({ShareController.class, ShareStore.class})
public class SharesFeature {
}
