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

/**
 * S3 on the laptop: S3Proxy in-process, files under {@code DIR/s3}, SigV4 checked, CORS for the demo page's origins, and
 * object tags, which S3Proxy lacks, kept beside the files under {@code DIR/s3-tags} ({@link ObjectTagging} in front of
 * S3Proxy's handler, {@link TaggingBlobStore} next to its files).
 */
public final class LocalS3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "AKIAMEDIAGATELOCAL00";
    public static final String SECRET_KEY = "mediagate-local-secret-key-not-for-aws0";
    /** The headers an upload signs, as browsers name them in a CORS preflight. */
    static final List<String> UPLOAD_HEADERS = List.of("content-type", "content-disposition", "if-none-match",
            "x-amz-meta-filename", "x-amz-meta-visibility", "x-amz-checksum-sha256", "x-amz-sdk-checksum-algorithm");

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;
    private final ObjectTags tags;

    public LocalS3Server(Path storage, int port, List<String> allowedOrigins, java.util.function.UnaryOperator<BlobStore> wrap)
            throws Exception {
        Files.createDirectories(storage);
        tags = objectTagsOf(storage);
        BlobStore store = wrap.apply(new TaggingBlobStore(new FilesystemNio2BlobStore(storage.toString()), tags));
        proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(0)
                .corsRules(new CrossOriginResourceSharing(allowedOrigins, List.of("GET", "HEAD", "PUT"), UPLOAD_HEADERS,
                        List.of("ETag"), "false"))
                .build();
        inFrontOfTheHandler(proxy, new ObjectTagging(tags, store, ACCESS_KEY, SECRET_KEY));
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

    /**
     * S3Proxy builds its Jetty server itself and offers no hook for a filter: the one servlet context of that server is
     * found through its private field. S3Proxy is pinned (the root pom); a version that moves the field stops the stack
     * here, with this message, rather than serving without tags.
     */
    private static void inFrontOfTheHandler(S3Proxy proxy, jakarta.servlet.Filter filter) {
        try {
            java.lang.reflect.Field field = S3Proxy.class.getDeclaredField("server");
            field.setAccessible(true);
            var server = (org.gaul.shaded.org.eclipse.jetty.server.Server) field.get(proxy);
            var context = server.getDescendant(org.gaul.shaded.org.eclipse.jetty.ee10.servlet.ServletContextHandler.class);
            context.addFilter(new org.gaul.shaded.org.eclipse.jetty.ee10.servlet.FilterHolder(filter), "/*",
                    java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot put object tagging in front of this S3Proxy's handler (has its Jetty server moved?): "
                    + e, e);
        }
    }

    /**
     * The tags of the objects stored under {@code storage}, beside it ({@code DIR/s3-tags} for {@code DIR/s3}): for the
     * stand-ins that start before the S3 server (GuardDuty's) and read or write the same tags.
     */
    public static ObjectTags objectTagsOf(Path storage) {
        return new ObjectTags(storage.resolveSibling(storage.getFileName() + "-tags"));
    }

    /** The objects' tags, as the local S3 keeps them. */
    public ObjectTags objectTags() {
        return tags;
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
