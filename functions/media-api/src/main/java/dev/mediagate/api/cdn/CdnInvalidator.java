package dev.mediagate.api.cdn;

import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/**
 * Tells the distribution to forget a file's published variants once they stop being public: edges would otherwise keep
 * serving them for their year-long max-age. One wildcard path per file.
 */
public final class CdnInvalidator {

    private static final Logger log = LoggerFactory.getLogger(CdnInvalidator.class);

    private final CloudFrontClient cloudFront;
    private final String distributionId;
    private final Clock clock;

    public CdnInvalidator(CloudFrontClient cloudFront, String distributionId, Clock clock) {
        this.cloudFront = cloudFront;
        this.distributionId = distributionId;
        this.clock = clock;
    }

    public void invalidatePublished(Owner owner, FileId fileId) {
        String path = "/" + MediaKeys.publicPrefix(owner, fileId) + "*";
        String id = cloudFront.createInvalidation(r -> r.distributionId(distributionId).invalidationBatch(b -> b
                        .callerReference(fileId.value() + "-" + clock.millis())
                        .paths(p -> p.quantity(1).items(path))))
                .invalidation().id();
        log.atInfo().addKeyValue("fileId", fileId.value()).addKeyValue("invalidationId", id).log("CDN invalidation requested");
    }
}
