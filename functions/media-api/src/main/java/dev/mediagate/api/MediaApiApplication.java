package dev.mediagate.api;

import dev.mediagate.api.cdn.CdnFeature;
import dev.mediagate.api.files.FilesFeature;
import dev.mediagate.api.upload.UploadFeature;
import dev.mediagate.api.web.WebFeature;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The Spring Boot application behind every route; features are imported, never scanned, to keep cold starts short. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({AwsClients.class, WebFeature.class, UploadFeature.class, CdnFeature.class, FilesFeature.class})
public class MediaApiApplication {
}
