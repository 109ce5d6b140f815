package dev.mediagate.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.AdaptiveRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/** S3's 503 Slow Down, as a new prefix answers it under a burst: the functions' client slows down and gets through. */
class S3ClientsTest {

    private static final String SLOW_DOWN = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>LOCAL</RequestId></Error>""";

    @Test
    void slowDownAnswersAreRetriedWithTheAdaptiveModesRateLimiter() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer s3 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s3.createContext("/", exchange -> {
            byte[] body = requests.incrementAndGet() <= 2 ? SLOW_DOWN.getBytes(StandardCharsets.UTF_8) : "bytes".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", requests.get() <= 2 ? "application/xml" : "application/octet-stream");
            exchange.sendResponseHeaders(requests.get() <= 2 ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        s3.start();
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        System.setProperty("aws.region", "us-east-1");
        try (S3Client client = S3Clients.client(new S3EndpointConfig(
                Optional.of(URI.create("http://127.0.0.1:" + s3.getAddress().getPort())), true))) {

            String read = client.getObjectAsBytes(get -> get.bucket("media").key("originals/a/b")).asUtf8String();

            assertThat(read).isEqualTo("bytes");
            assertThat(requests.get()).as("two Slow Down answers, then the object").isEqualTo(3);
            assertThat(client.serviceClientConfiguration().overrideConfiguration().retryStrategy())
                    .get().isInstanceOf(AdaptiveRetryStrategy.class);
        } finally {
            s3.stop(0);
        }
    }
}
