package dev.mediagate.api.shares;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.mediagate.api.files.FileAttachments;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.upload.UploadConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Share links in the bucket: {@code shares/tokens/{sha256}.json} answers a token, {@code shares/files/{owner}/{fileId}/
 * {shareId}.json} lists a file's links. The token record is written first and deleted first, so a link works only
 * while it is listed (a crash in between leaves at most a record nobody holds the token of; the bucket's lifecycle
 * rule removes {@code shares/} objects after the longest share's lifetime).
 */
class ShareStore implements FileAttachments {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHARE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule("instants")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new FromStringDeserializer<>(Instant.class) {
                        @Override
                        protected Instant _deserialize(String value, DeserializationContext context) {
                            return Instant.parse(value);
                        }
                    }))
            .build();

    private final S3Client s3;
    private final String bucket;
    private final Clock clock;

    ShareStore(S3Client s3, UploadConfig config, Clock clock) {
        this.s3 = s3;
        this.bucket = config.bucket();
        this.clock = clock;
    }

    record Created(ShareRecord record, String token) {
    }

    Created create(Owner owner, FileId fileId, Duration lifetime) {
        String token = ShareToken.create();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        ShareRecord record = new ShareRecord(shareId(), owner.value(), fileId.value(), ShareToken.sha256Hex(token), now,
                now.plus(lifetime));
        put(MediaKeys.shareByToken(record.tokenSha256()), record);
        put(MediaKeys.fileShare(owner, fileId, record.shareId()), record);
        return new Created(record, token);
    }

    /** The file's links that still work, oldest first. */
    List<ShareRecord> list(Owner owner, FileId fileId) {
        Instant now = clock.instant();
        List<ShareRecord> records = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(MediaKeys.fileSharesPrefix(owner, fileId))).contents()) {
            read(object.key()).filter(record -> record.isLiveAt(now)).ifPresent(records::add);
        }
        records.sort(Comparator.comparing(ShareRecord::createdAt).thenComparing(ShareRecord::shareId));
        return records;
    }

    /** False when the file has no such link. */
    boolean revoke(Owner owner, FileId fileId, String shareId) {
        if (!SHARE_ID.matcher(shareId).matches()) {
            return false;
        }
        String indexKey = MediaKeys.fileShare(owner, fileId, shareId);
        Optional<ShareRecord> record = read(indexKey);
        if (record.isEmpty()) {
            return false;
        }
        s3.deleteObject(d -> d.bucket(bucket).key(MediaKeys.shareByToken(record.get().tokenSha256())));
        s3.deleteObject(d -> d.bucket(bucket).key(indexKey));
        return true;
    }

    /** The live link this token opens; empty for an unknown, expired or revoked one. */
    Optional<ShareRecord> find(String token) {
        if (!ShareToken.isWellFormed(token)) {
            return Optional.empty();
        }
        String digest = ShareToken.sha256Hex(token);
        Instant now = clock.instant();
        return read(MediaKeys.shareByToken(digest))
                .filter(record -> ShareToken.sameDigest(record.tokenSha256(), digest))
                .filter(record -> record.isLiveAt(now));
    }

    @Override
    public void deleteAll(Owner owner, FileId fileId) {
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(MediaKeys.fileSharesPrefix(owner, fileId))).contents()) {
            read(object.key()).ifPresent(record -> s3.deleteObject(d -> d.bucket(bucket).key(MediaKeys.shareByToken(record.tokenSha256()))));
            s3.deleteObject(d -> d.bucket(bucket).key(object.key()));
        }
    }

    /** 128 random bits, hex: names a link in lists and revocations, opens nothing. */
    private static String shareId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private void put(String key, ShareRecord record) {
        try {
            byte[] json = JSON.writeValueAsBytes(record);
            s3.putObject(p -> p.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<ShareRecord> read(String key) {
        try {
            return Optional.of(JSON.readValue(s3.getObjectAsBytes(g -> g.bucket(bucket).key(key)).asByteArray(), ShareRecord.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("share record " + key + " is not valid JSON", e);
        }
    }
}
