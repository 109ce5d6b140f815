package dev.mediagate.api.upload;

import dev.mediagate.api.files.FileAttachments;
import dev.mediagate.api.upload.S3PutPresigner.PresignedPut;
import dev.mediagate.api.web.NotFoundException;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.upload.FieldError;
import dev.mediagate.core.upload.Filenames;
import dev.mediagate.core.upload.InvalidRequestException;
import dev.mediagate.core.upload.UploadConfig;
import dev.mediagate.core.upload.UploadRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Resumable multipart uploads with the server in charge. It creates the S3 upload itself (key, type, disposition and
 * metadata fixed there), keeps the declared size and part layout under {@code uploads/}, signs each part's exact
 * {@code Content-Length}, and completes only when S3's own {@code ListParts} shows every part, with the ETags the client
 * sent, adding up to the declared size; the completion is conditional ({@code If-None-Match: *}). Ownership is the key:
 * the record and the S3 upload both live under the caller's owner, so another owner's upload is simply not found.
 */
class MultipartUploads implements FileAttachments {

    /** The bucket's lifecycle rule aborts an incomplete upload a day after it began. */
    static final Duration RESUMABLE_FOR = Duration.ofDays(1);
    private final S3Client s3;
    private final MultipartRecords records;
    private final S3PutPresigner presigner;
    private final UploadConfig config;
    private final Clock clock;

    MultipartUploads(S3Client s3, S3PutPresigner presigner, UploadConfig config, Clock clock) {
        this.s3 = s3;
        this.records = new MultipartRecords(s3, config.bucket());
        this.presigner = presigner;
        this.config = config;
        this.clock = clock;
    }

    record Started(FileId fileId, String uploadId, PartLayout layout, Instant expiresAt) {
    }

    record SignedPart(int partNumber, String url, Map<String, String> headers, long size) {
    }

    record SignedParts(List<SignedPart> parts, Instant expiresAt) {
    }

    record StoredPart(int partNumber, long size, String etag) {
    }

    record ClientPart(int partNumber, String etag) {
    }

    /** Creates the S3 upload, then its record; an upload whose record cannot be written is aborted at once. */
    Started start(Owner owner, UploadRequest request) {
        FileId fileId = FileId.random();
        String key = MediaKeys.original(owner, fileId);
        String uploadId = s3.createMultipartUpload(create -> create.bucket(config.bucket()).key(key)
                .contentType(request.contentType().mimeType())
                .contentDisposition(Filenames.attachmentDisposition(request.filename()))
                .metadata(Map.of("filename", Filenames.percentEncode(request.filename()),
                        "visibility", request.visibility().code()))).uploadId();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        PartLayout layout = PartLayout.forSize(request.size());
        MultipartRecord record = new MultipartRecord(MultipartRecord.VERSION, uploadId, request.size(), layout.partSize(),
                now, now.plus(RESUMABLE_FOR));
        try {
            records.put(owner, fileId, record);
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(abort -> abort.bucket(config.bucket()).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
        return new Started(fileId, uploadId, layout, record.expiresAt());
    }

    /** Presigned {@code UploadPart} URLs, each for exactly its part's length. */
    SignedParts sign(Owner owner, FileId fileId, String uploadId, List<Integer> partNumbers) {
        MultipartRecord record = record(owner, fileId, uploadId);
        PartLayout layout = record.layout();
        List<FieldError> errors = new ArrayList<>();
        for (int partNumber : partNumbers) {
            if (partNumber > layout.partCount()) {
                errors.add(new FieldError("partNumbers", "part " + partNumber + " is beyond this upload's "
                        + layout.partCount() + " parts"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Some part numbers are not parts of this upload.", errors);
        }
        String key = MediaKeys.original(owner, fileId);
        stillOpen(key, uploadId);
        List<SignedPart> parts = new ArrayList<>(partNumbers.size());
        Instant expiresAt = null;
        for (int partNumber : partNumbers) {
            long bytes = layout.partBytes(partNumber);
            PresignedPut put = presigner.presign(config.bucket(), key,
                    Map.of("partNumber", String.valueOf(partNumber), "uploadId", uploadId),
                    Map.of("Content-Length", String.valueOf(bytes)), config.uploadUrlTtl());
            // The browser sends Content-Length itself: nothing else is signed, so nothing else is to be sent.
            parts.add(new SignedPart(partNumber, put.url().toString(), Map.of(), bytes));
            expiresAt = put.expiration();
        }
        return new SignedParts(parts, expiresAt);
    }

    /** The parts S3 holds, in order: what a client resuming after a failure or a reload need not send again. */
    List<StoredPart> parts(Owner owner, FileId fileId, String uploadId) {
        record(owner, fileId, uploadId);
        return storedParts(MediaKeys.original(owner, fileId), uploadId)
                .orElseThrow(() -> new NotFoundException("No such upload."));
    }

    /**
     * Completes the upload when the client's list names every part of the layout with the ETag S3 holds and S3's parts
     * add up to the declared size; otherwise {@code 400} with every problem, and the upload stays as it was. A repeated
     * completion of an upload that already completed answers as the first one did.
     */
    void complete(Owner owner, FileId fileId, String uploadId, List<ClientPart> clientParts) {
        MultipartRecord record = record(owner, fileId, uploadId);
        String key = MediaKeys.original(owner, fileId);
        // Only this upload's completion can create this key: the original's presence means it already completed.
        if (originalExists(key)) {
            return;
        }
        List<StoredPart> stored = storedParts(key, uploadId).orElseThrow(() -> new NotFoundException("No such upload."));
        List<CompletedPart> completed = PartCompletion.checked(record.layout(), clientParts, stored);
        try {
            s3.completeMultipartUpload(complete -> complete.bucket(config.bucket()).key(key).uploadId(uploadId)
                    .ifNoneMatch("*").multipartUpload(upload -> upload.parts(completed)));
        } catch (NoSuchUploadException e) {
            if (!originalExists(key)) {
                throw new NotFoundException("No such upload.");
            }
        } catch (S3Exception e) {
            // 412: the original exists, and only this upload's completion can create it: a concurrent repeat won.
            if (e.statusCode() != 412) {
                throw e;
            }
        }
    }

    /** Aborts the upload: S3 drops its parts; the record goes too, so every later call is {@code 404}. */
    void abort(Owner owner, FileId fileId, String uploadId) {
        record(owner, fileId, uploadId);
        try {
            s3.abortMultipartUpload(abort -> abort.bucket(config.bucket()).key(MediaKeys.original(owner, fileId))
                    .uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            throw new NotFoundException("No such upload.");
        }
        deleteAll(owner, fileId);
    }

    @Override
    public void deleteAll(Owner owner, FileId fileId) {
        records.delete(owner, fileId);
    }

    /** The upload's record when it belongs to this owner's file and names this upload; {@code 404} otherwise. */
    private MultipartRecord record(Owner owner, FileId fileId, String uploadId) {
        return records.find(owner, fileId)
                .filter(record -> record.version() == MultipartRecord.VERSION && record.uploadId().equals(uploadId))
                .orElseThrow(() -> new NotFoundException("No such upload."));
    }

    /** An upload the lifecycle rule has aborted still has its record for a while: S3 is asked. */
    private void stillOpen(String key, String uploadId) {
        try {
            s3.listParts(list -> list.bucket(config.bucket()).key(key).uploadId(uploadId).maxParts(1));
        } catch (NoSuchUploadException e) {
            throw new NotFoundException("No such upload.");
        }
    }

    private Optional<List<StoredPart>> storedParts(String key, String uploadId) {
        try {
            List<StoredPart> parts = new ArrayList<>();
            s3.listPartsPaginator(list -> list.bucket(config.bucket()).key(key).uploadId(uploadId)).parts()
                    .forEach(part -> parts.add(new StoredPart(part.partNumber(), part.size(), part.eTag())));
            return Optional.of(parts);
        } catch (NoSuchUploadException e) {
            return Optional.empty();
        }
    }

    private boolean originalExists(String key) {
        try {
            s3.headObject(head -> head.bucket(config.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }
}
