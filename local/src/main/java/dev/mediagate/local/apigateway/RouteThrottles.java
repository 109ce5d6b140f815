package dev.mediagate.local.apigateway;

import dev.mediagate.local.sam.SamTemplate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The HTTP API's route throttles, locally: {@code DefaultRouteSettings} for every route and {@code RouteSettings} for
 * the routes named there, each route with a bucket of its own. API Gateway "throttles requests to your API using the
 * token bucket algorithm, where a token counts for a request"; the burst limit is "the maximum bucket size", the rate
 * limit the steady refill, and a request finding the bucket empty is answered {@code 429 Too Many Requests}
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html). The limits are the
 * template's parameters as deployed, so {@code --parameter-overrides "ApiUploadRateLimit=1 ApiUploadBurstLimit=1"}
 * gives a stack that throttles after one upload a second, to see what clients do with a {@code 429}.
 *
 * <p>Left out: the account's limit across every API (10,000 requests/s, burst 5,000 by default), which one local stack
 * does not reach, and API Gateway's best-effort slack ("targets rather than guaranteed request ceilings"): locally a
 * limit is exact, so a client that copes here copes with AWS's looser one.
 */
final class RouteThrottles {

    private final Optional<Limit> defaultLimit;
    private final Map<String, Limit> routeLimits;
    private final Map<String, TokenBucket> buckets = new LinkedHashMap<>();
    private final LongSupplier nanoTime;

    /** A route's steady rate (requests per second, may be fractional as in the template) and its bucket's size. */
    record Limit(double ratePerSecond, long burst) {
        Limit {
            if (!(ratePerSecond >= 0) || burst < 0) {
                throw new IllegalArgumentException("a throttle needs a rate ≥ 0 and a burst ≥ 0, got " + ratePerSecond + "/" + burst);
            }
        }
    }

    RouteThrottles(Optional<Limit> defaultLimit, Map<String, Limit> routeLimits, LongSupplier nanoTime) {
        this.defaultLimit = defaultLimit;
        this.routeLimits = Map.copyOf(routeLimits);
        this.nanoTime = nanoTime;
    }

    /** The throttles the template's {@code HttpApi} sets with its parameters; none when it sets none. */
    static RouteThrottles from(SamTemplate template) {
        return from(template, System::nanoTime);
    }

    static RouteThrottles from(SamTemplate template, LongSupplier nanoTime) {
        if (!template.exists("HttpApi")) {
            return new RouteThrottles(Optional.empty(), Map.of(), nanoTime);
        }
        Map<String, Object> api = template.properties("HttpApi");
        Optional<Limit> defaultLimit = limit(SamTemplate.map(template.evaluate(api.get("DefaultRouteSettings"))));
        Map<String, Limit> routeLimits = new LinkedHashMap<>();
        SamTemplate.map(template.evaluate(api.get("RouteSettings"))).forEach((routeKey, settings) ->
                // A route setting without a throttle of its own keeps the default one, as a stage's route settings do.
                limit(SamTemplate.map(settings)).or(() -> defaultLimit).ifPresent(limit -> routeLimits.put(routeKey, limit)));
        return new RouteThrottles(defaultLimit, routeLimits, nanoTime);
    }

    private static Optional<Limit> limit(Map<String, Object> settings) {
        Object rate = settings.get("ThrottlingRateLimit");
        Object burst = settings.get("ThrottlingBurstLimit");
        if (rate == null && burst == null) {
            return Optional.empty();
        }
        if (rate == null || burst == null) {
            throw new IllegalArgumentException("template.yaml: a route throttle needs both ThrottlingRateLimit and ThrottlingBurstLimit, got "
                    + settings);
        }
        return Optional.of(new Limit(Double.parseDouble(String.valueOf(rate)), Long.parseLong(String.valueOf(burst))));
    }

    /** Takes a token from the route's bucket: {@code false} when it is empty (the request is answered 429). */
    synchronized boolean admit(String routeKey) {
        Limit limit = routeLimits.get(routeKey);
        if (limit == null) {
            if (defaultLimit.isEmpty()) {
                return true;
            }
            limit = defaultLimit.get();
        }
        Limit chosen = limit;
        return buckets.computeIfAbsent(routeKey, key -> new TokenBucket(chosen, nanoTime.getAsLong())).take(nanoTime.getAsLong());
    }

    /** Starts full (a new stage takes its first burst at once), refills at the rate, never holds more than the burst. */
    private static final class TokenBucket {
        private final Limit limit;
        private double tokens;
        private long refilledAt;

        TokenBucket(Limit limit, long now) {
            this.limit = limit;
            this.tokens = limit.burst();
            this.refilledAt = now;
        }

        boolean take(long now) {
            tokens = Math.min(limit.burst(), tokens + (now - refilledAt) / 1e9 * limit.ratePerSecond());
            refilledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
