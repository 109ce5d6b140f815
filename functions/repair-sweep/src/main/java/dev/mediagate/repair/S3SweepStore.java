package dev.mediagate.repair;

import dev.mediagate.core.aws.S3Clients;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The sweep's S3 calls against the inventory bucket (reports, its cursor) and the media bucket (HEADs). */
final class S3SweepStore implements SweepStore {

    private final S3Client s3;
    private final String inventoryBucket;
    private final String mediaBucket;

    S3SweepStore(S3Client s3, String inventoryBucket, String mediaBucket) {
        this.s3 = s3;
        this.inventoryBucket = inventoryBucket;
        this.mediaBucket = mediaBucket;
    }

    @Override
    public List<String> reportFolders(String reportsPrefix) {
        // One page: the inventory bucket's lifecycle keeps 14 daily reports, plus data/ and hive/.
        return s3.listObjectsV2Paginator(l -> l.bucket(inventoryBucket).prefix(reportsPrefix).delimiter("/")).commonPrefixes()
                .stream().map(CommonPrefix::prefix).toList();
    }

    @Override
    public Optional<byte[]> read(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(g -> g.bucket(inventoryBucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public InputStream open(String key) {
        return s3.getObject(g -> g.bucket(inventoryBucket).key(key));
    }

    @Override
    public void write(String key, byte[] body) {
        s3.putObject(p -> p.bucket(inventoryBucket).key(key).contentType("application/json"), RequestBody.fromBytes(body));
    }

    @Override
    public boolean exists(String mediaKey) {
        return S3Clients.headIfExists(s3, mediaBucket, mediaKey).isPresent();
    }
}
