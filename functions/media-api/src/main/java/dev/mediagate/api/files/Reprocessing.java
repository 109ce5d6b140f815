package dev.mediagate.api.files;

import dev.mediagate.api.web.NotFoundException;
import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.core.files.ReprocessMessage;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code POST /owners/{owner}/files/{fileId}/reprocess}: asks the resizer, through its own queue
 * ({@code RESIZER_QUEUE_URL}), to make a file's variants again when its manifest's recipe is not today's (or always,
 * with {@code force}). The request changes nothing itself: the file keeps serving its current variants until the
 * resizer's run switches the manifest to new keys, with the finality rules of any processing run (a {@code PATCH} or
 * {@code DELETE} that comes first wins). It is not counted among the file's changes (10 a minute): it writes nothing,
 * a run without {@code force} on a current file costs the resizer a manifest read, and the resizer's capped concurrency
 * bounds what forced requests can cost.
 */
class Reprocessing {

    private static final Logger log = LoggerFactory.getLogger(Reprocessing.class);

    private final FileCatalog catalog;
    private final SqsClient sqs;
    private final String queueUrl;

    Reprocessing(FileCatalog catalog, SqsClient sqs, Settings settings) {
        this.catalog = catalog;
        this.sqs = sqs;
        this.queueUrl = settings.httpUrl("RESIZER_QUEUE_URL")
                .orElseThrow(() -> new ConfigurationException("RESIZER_QUEUE_URL", "is required but not set")).toString();
    }

    /** What the route answers: {@code queued} is 202, else 200; {@code status} and {@code recipe} as the file stands. */
    record Answer(boolean queued, String fileId, String status, String recipe) {
    }

    /**
     * {@code today} is the configuration the resizer makes variants with (empty when the API cannot tell: then every
     * request is queued, and the resizer finds current files current). 404 when the file does not exist or is being
     * deleted. An original without a manifest (never processed: a lost notification) is queued too, as a repair.
     */
    Answer request(Owner owner, FileId fileId, boolean force, Optional<Recipe.Config> today) {
        Optional<Manifest> manifest = catalog.manifest(owner, fileId);
        if (catalog.isDeleted(owner, fileId) || manifest.isEmpty() && catalog.original(owner, fileId).isEmpty()) {
            throw new NotFoundException();
        }
        String status = manifest.map(stored -> stored.status().code()).orElse("processing");
        String recipe = manifest.map(Manifest::recipe).orElse(null);
        if (!force && manifest.isPresent() && today.isPresent()
                && !Recipe.isStale(manifest.get(), today.get(), manifest.get().focus())) {
            return new Answer(false, fileId.value(), status, recipe);
        }
        queue(owner, fileId, force);
        return new Answer(true, fileId.value(), status, recipe);
    }

    /** Puts the request on the resizer's queue (a focus change: without force, the recipe names the focus). */
    void queue(Owner owner, FileId fileId, boolean force) {
        String body = ReprocessMessage.of(catalog.bucket(), owner, fileId, force).toJson();
        sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(body));
        log.atInfo().addKeyValue("fileId", fileId.value()).addKeyValue("force", force).log("reprocessing queued");
    }
}
