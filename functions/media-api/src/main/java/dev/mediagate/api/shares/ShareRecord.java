package dev.mediagate.api.shares;

import java.time.Instant;

/** One share link as stored under {@code shares/}: whose file, until when, and the token's digest (never the token). */
record ShareRecord(String shareId, String owner, String fileId, String tokenSha256, Instant createdAt, Instant expiresAt) {

    boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
