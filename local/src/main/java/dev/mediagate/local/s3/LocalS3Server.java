package dev.mediagate.local.s3;

import dev.mediagate.local.sam.SamTemplate;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 on the laptop: S3Proxy in-process, files under {@code DIR/s3}, SigV4 checked, CORS for the demo page's origins. */
public final class LocalS3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "AKIAMEDIAGATELOCAL00";
    public static final String SECRET_KEY = "mediagate-local-secret-key-not-for-aws0";
    /** The headers an upload signs, as browsers name them in a CORS preflight. */
    static final List<String> UPLOAD_HEADERS = List.of("content-type", "content-disposition", "if-none-match",
            "x-amz-meta-filename", "x-amz-meta-visibility", "x-amz-checksum-sha256", "x-amz-sdk-checksum-algorithm");

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;

    public LocalS3Server(Path storage, int port, List<String> allowedOrigins, java.util.function.UnaryOperator<BlobStore> wrap)
            throws Exception {
        Files.createDirectories(storage);
        proxy = S3Proxy.builder()
                .blobStore(wrap.apply(new FilesystemNio2BlobStore(storage.toString())))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(0)
                .corsRules(new CrossOriginResourceSharing(allowedOrigins, List.of("GET", "HEAD", "PUT"), UPLOAD_HEADERS,
                        List.of("ETag"), "false"))
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            if ("FAILED".equals(proxy.getState())) {
                throw new IllegalStateException("S3Proxy could not start on port " + port);
            }
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        client = S3Client.builder().endpointOverride(endpoint).region(Region.of(SamTemplate.LOCAL_REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                // S3Proxy closes some connections after refusing a request before its body; the JDK caches up to five
                // per host, so a sixth attempt always gets a fresh one.
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(6))).build();
    }

    public void ensureBucket(String bucket) {
        if (client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
            client.createBucket(b -> b.bucket(bucket));
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public S3Client client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
