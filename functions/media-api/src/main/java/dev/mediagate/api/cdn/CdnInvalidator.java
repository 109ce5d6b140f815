package dev.mediagate.api.cdn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Has the distribution forget a file's published variants once they stop being public (edges would otherwise keep
 * serving them for their year-long max-age). The exact paths, never a wildcard (CloudFront allows 3,000 exact paths but
 * only 15 wildcard paths in progress per distribution), are queued: CdnInvalidationFunction asks CloudFront and retries
 * for over a day, so no request waits on CloudFront or fails because it refuses.
 */
public final class CdnInvalidator {

    private static final Logger log = LoggerFactory.getLogger(CdnInvalidator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;

    public CdnInvalidator(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Queues the CDN paths of {@code keys} (the file's keys under {@code public/}; any other is left out). */
    public void invalidate(Owner owner, FileId fileId, Collection<String> keys) {
        String prefix = MediaKeys.publicPrefix(owner, fileId);
        List<String> paths = keys.stream().filter(key -> key.startsWith(prefix)).distinct().sorted().map(key -> "/" + key).toList();
        if (paths.isEmpty()) {
            return;
        }
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("paths", paths));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("paths cannot be serialised", e);
        }
        sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(body));
        log.atInfo().addKeyValue("fileId", fileId.value()).addKeyValue("paths", paths.size()).log("CDN invalidation queued");
    }
}
