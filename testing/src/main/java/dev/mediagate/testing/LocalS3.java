package dev.mediagate.testing;

import dev.mediagate.local.events.LocalEventBus;
import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 for tests: S3Proxy in-process on a free loopback port, in-memory storage, SigV4 signatures checked.
 * One instance per test JVM ({@link #shared()}), because Lambda handlers read their settings once at init.
 */
public final class LocalS3 {

    /** The bucket template.yaml names for Stage=dev with the local stack's account and region. */
    public static final String BUCKET = "mediagate-dev-000000000000-us-east-1";
    public static final String ACCESS_KEY = "AKIAMEDIAGATETEST000";
    public static final String SECRET_KEY = "mediagate-test-secret-key-0000000000000";
    public static final String REGION = "us-east-1";

    private static LocalS3 shared;

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;

    private LocalS3() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                // S3Proxy closes some connections after refusing a request before its body; the JDK caches up to five
                // per host, so a sixth attempt always gets a fresh one.
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(6)))
                .build();
        client.createBucket(b -> b.bucket(BUCKET));
    }

    /** Starts the JVM-wide instance once and points the SDK's default chains (credentials, region) at it. */
    public static synchronized LocalS3 shared() {
        if (shared == null) {
            try {
                shared = new LocalS3();
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy did not start", e);
            }
            System.setProperty("aws.accessKeyId", ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", SECRET_KEY);
            System.setProperty("aws.region", REGION);
            System.setProperty("MEDIA_BUCKET", BUCKET);
            System.setProperty("AWS_ENDPOINT_URL_S3", shared.endpoint.toString());
            System.setProperty("S3_FORCE_PATH_STYLE", "true");
            // The functions that announce events need their bus as much as their bucket.
            LocalEventBus.shared();
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    public S3Client client() {
        return client;
    }

    public S3Proxy proxy() {
        return proxy;
    }
}
