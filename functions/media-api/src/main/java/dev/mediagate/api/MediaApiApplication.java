package dev.mediagate.api;

import dev.mediagate.api.cdn.CdnFeature;
import dev.mediagate.api.files.FilesFeature;
import dev.mediagate.api.links.LinksFeature;
import dev.mediagate.api.shares.SharesFeature;
import dev.mediagate.api.upload.UploadFeature;
import dev.mediagate.api.web.WebFeature;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The Spring Boot application behind every route. Features are imported, never scanned, and only the four
 * auto-configurations a JSON API needs are applied, rather than evaluating Boot's whole list: cold starts stay short.
 * (The API's ObjectMapper is its own: see WebFeature.)
 */
@SpringBootConfiguration
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class})
@Import({AwsClients.class, WebFeature.class, UploadFeature.class, CdnFeature.class, FilesFeature.class, SharesFeature.class,
        LinksFeature.class})
public class MediaApiApplication {
}
