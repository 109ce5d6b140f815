package dev.mediagate.api.upload;

import dev.mediagate.api.upload.MultipartUploads.ClientPart;
import dev.mediagate.api.upload.MultipartUploads.StoredPart;
import dev.mediagate.core.upload.FieldError;
import dev.mediagate.core.upload.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * When a multipart upload may complete: the client's list names every part of the layout once, each with the ETag of the
 * part S3 holds, and S3's parts add up to the declared size. A pure rule beside {@link PartLayout}: it sees the layout,
 * the client's list and S3's {@code ListParts}, never S3 itself.
 */
final class PartCompletion {

    private PartCompletion() {
    }

    /**
     * The parts to complete with, in order and with S3's own ETags; or {@code 400} naming every problem at once, so a
     * client fixes its list in one round.
     */
    static List<CompletedPart> checked(PartLayout layout, List<ClientPart> clientParts, List<StoredPart> stored) {
        SortedMap<Integer, String> sent = new TreeMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (ClientPart part : clientParts) {
            if (part.partNumber() > layout.partCount()) {
                errors.add(new FieldError("parts", "part " + part.partNumber() + " is beyond this upload's "
                        + layout.partCount() + " parts"));
            } else if (sent.put(part.partNumber(), part.etag()) != null) {
                errors.add(new FieldError("parts", "part " + part.partNumber() + " is listed twice"));
            }
        }
        Map<Integer, StoredPart> held = new TreeMap<>();
        stored.forEach(part -> held.put(part.partNumber(), part));
        List<CompletedPart> completed = new ArrayList<>(layout.partCount());
        long total = 0;
        for (int partNumber = 1; partNumber <= layout.partCount(); partNumber++) {
            StoredPart part = held.get(partNumber);
            String etag = sent.get(partNumber);
            if (etag == null) {
                errors.add(new FieldError("parts", "part " + partNumber + " is missing from the list"));
            } else if (part == null) {
                errors.add(new FieldError("parts", "part " + partNumber + " has not been uploaded"));
            } else if (!unquoted(part.etag()).equals(unquoted(etag))) {
                errors.add(new FieldError("parts", "part " + partNumber + ": the ETag does not match the part S3 holds"));
            }
            if (part != null) {
                total += part.size();
                completed.add(CompletedPart.builder().partNumber(partNumber).eTag(part.etag()).build());
            }
        }
        if (completed.size() == layout.partCount() && total != layout.size()) {
            errors.add(new FieldError("parts", "the parts add up to " + total + " bytes, not the " + layout.size()
                    + " bytes declared"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The upload cannot be completed: the upload is kept, send what is missing "
                    + "and complete again.", errors);
        }
        return completed;
    }

    /** S3 quotes ETags; browsers read them from the header as sent, clients may strip the quotes: both mean the same. */
    static String unquoted(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
