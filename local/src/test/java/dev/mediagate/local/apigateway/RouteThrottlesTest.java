package dev.mediagate.local.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.local.Checkout;
import dev.mediagate.local.sam.SamTemplate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The local HTTP API's token buckets: a burst at once, then the steady rate, a bucket per route, the template's values. */
class RouteThrottlesTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(42 * SECOND);

    @Test
    void aFullBucketAdmitsItsBurstAtOnceThenOneRequestPerTokenRefilledAtTheRate() {
        RouteThrottles throttles = new RouteThrottles(Optional.of(new RouteThrottles.Limit(2, 3)), Map.of(), now::get);

        assertThat(admitted(throttles, "GET /me", 10)).as("the burst, at once").isEqualTo(3);
        now.addAndGet(SECOND / 4);
        assertThat(admitted(throttles, "GET /me", 10)).as("half a token after 250 ms at 2/s").isZero();
        now.addAndGet(SECOND / 4);
        assertThat(admitted(throttles, "GET /me", 10)).as("one token after 500 ms").isEqualTo(1);
        now.addAndGet(60 * SECOND);
        assertThat(admitted(throttles, "GET /me", 10)).as("a quiet minute refills no more than the burst").isEqualTo(3);
    }

    @Test
    void eachRouteHasItsOwnBucketAndARouteSettingReplacesTheDefault() {
        RouteThrottles throttles = new RouteThrottles(Optional.of(new RouteThrottles.Limit(1, 2)),
                Map.of("POST /uploads", new RouteThrottles.Limit(1, 5)), now::get);

        assertThat(admitted(throttles, "POST /uploads", 10)).isEqualTo(5);
        assertThat(admitted(throttles, "GET /me", 10)).as("another route's burst is its own").isEqualTo(2);
        assertThat(admitted(throttles, "DELETE /files/{fileId}", 10)).as("each default route has a bucket of its own").isEqualTo(2);
    }

    @Test
    void withoutAnyThrottleEveryRequestIsAdmitted() {
        RouteThrottles throttles = new RouteThrottles(Optional.empty(), Map.of(), now::get);

        assertThat(admitted(throttles, "POST /uploads", 10_000)).isEqualTo(10_000);
    }

    @Test
    void theTemplatesRouteSettingsAndTheirParametersAsOverriddenAtStart() {
        RouteThrottles throttles = RouteThrottles.from(SamTemplate.load(Checkout.ROOT.resolve("template.yaml"),
                Map.of("ApiUploadRateLimit", "1", "ApiUploadBurstLimit", "2", "ApiStatusRateLimit", "1", "ApiStatusBurstLimit", "4",
                        "ApiThrottlingRateLimit", "1", "ApiThrottlingBurstLimit", "3")), now::get);

        assertThat(admitted(throttles, "POST /uploads", 10)).isEqualTo(2);
        assertThat(admitted(throttles, "POST /owners/{owner}/uploads", 10)).isEqualTo(2);
        assertThat(admitted(throttles, "GET /files/{fileId}", 10)).isEqualTo(4);
        assertThat(admitted(throttles, "GET /owners/{owner}/files/{fileId}", 10)).isEqualTo(4);
        assertThat(admitted(throttles, "GET /me", 10)).as("DefaultRouteSettings").isEqualTo(3);
    }

    @Test
    void theTemplatesDefaultsAdmitTheirBurst() {
        RouteThrottles throttles = RouteThrottles.from(SamTemplate.load(Checkout.ROOT.resolve("template.yaml")), now::get);

        assertThat(admitted(throttles, "POST /uploads", 1_000)).isEqualTo(400);
        assertThat(admitted(throttles, "GET /files/{fileId}", 2_000)).isEqualTo(1_000);
    }

    private static int admitted(RouteThrottles throttles, String routeKey, int requests) {
        return (int) IntStream.range(0, requests).filter(i -> throttles.admit(routeKey)).count();
    }
}
