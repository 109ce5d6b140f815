package dev.mediagate.api.upload;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The JSON records of multipart uploads under {@code uploads/{owner}/{fileId}.json}: storage only, no rules. */
final class MultipartRecords {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final S3Client s3;
    private final String bucket;

    MultipartRecords(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    void put(Owner owner, FileId fileId, MultipartRecord record) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException("multipart upload record not serialisable", e);
        }
        s3.putObject(put -> put.bucket(bucket).key(MediaKeys.multipartUpload(owner, fileId)).contentType("application/json"),
                RequestBody.fromBytes(json));
    }

    /** The stored record, if there is one. */
    Optional<MultipartRecord> find(Owner owner, FileId fileId) {
        try {
            byte[] stored = s3.getObjectAsBytes(get -> get.bucket(bucket).key(MediaKeys.multipartUpload(owner, fileId)))
                    .asByteArray();
            return Optional.of(JSON.readValue(stored, MultipartRecord.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable multipart upload record", e);
        }
    }

    void delete(Owner owner, FileId fileId) {
        s3.deleteObject(delete -> delete.bucket(bucket).key(MediaKeys.multipartUpload(owner, fileId)));
    }
}
