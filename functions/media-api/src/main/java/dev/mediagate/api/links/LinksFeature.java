package dev.mediagate.api.links;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** {@code POST /links}: signed URLs for a page of files, for the app's backend. */
@Configuration(proxyBeanMethods = false)
@Import({LinksController.class, PageSigner.class})
public class LinksFeature {
}
