package dev.mediagate.webhooks;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: exponential from 30 seconds, capped at SQS's 12-hour visibility limit, with
 * jitter (each delay drawn between half and all of its step) so a receiver coming back is not hit by every retry at
 * once. With the queue's {@value #MAX_RECEIVES} receives the retries span more than 24 hours even at the shortest
 * draws (docs/events.md).
 */
final class RetrySchedule {

    static final int MAX_RECEIVES = 16;
    static final Duration FIRST = Duration.ofSeconds(30);
    static final Duration CAP = Duration.ofHours(12);

    private RetrySchedule() {
    }

    /** The delay after the {@code receiveCount}-th failed attempt. */
    static Duration delayAfter(int receiveCount, RandomGenerator random) {
        int exponent = Math.min(Math.max(receiveCount, 1) - 1, 20);
        long step = Math.min(CAP.toSeconds(), FIRST.toSeconds() << exponent);
        return Duration.ofSeconds(step / 2 + random.nextLong(step - step / 2 + 1));
    }
}
