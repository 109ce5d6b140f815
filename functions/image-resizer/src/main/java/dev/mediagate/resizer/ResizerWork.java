package dev.mediagate.resizer;

import dev.mediagate.core.files.ReprocessMessage;
import java.util.List;
import java.util.Optional;

/**
 * What one message on the resizer's queue asks for. Today S3 sends every message: its one-off test message and
 * notifications of new originals. Another kind of work (one file to make again, a malware scan's result, a repair) is a
 * new case here, recognised in {@link #parse} and performed in {@link ImageResizerHandler}'s {@code perform}; the
 * batch loop, the receive counting and the failure reporting stay as they are.
 */
sealed interface ResizerWork {

    com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** S3's {@code s3:TestEvent}, sent once when the bucket's notification is set up: nothing to do. */
    record S3TestEvent() implements ResizerWork {
    }

    /** Originals S3 announced as created (one notification may name several). */
    record NewOriginals(List<S3Notifications.S3Object> objects) implements ResizerWork {

        public NewOriginals {
            objects = List.copyOf(objects);
        }
    }

    /**
     * GuardDuty's verdict on a new original (MalwareScanning=guardduty): with scanning on it replaces S3's notification
     * as what starts the resizer on the original.
     */
    record MalwareScanned(MalwareScanResult result) implements ResizerWork {
    }

    /**
     * Originals the repair sweep (RepairSweepFunction) found still without a manifest {@code RECONCILE_AFTER_MINUTES}
     * after they landed: their notification was lost, or their message aged out of the failure queue. The sweep sends
     * them in the shape of S3's notification with {@code eventSource} {@value #REPAIR_SOURCE}; they are processed as new
     * originals, and one processed meanwhile is skipped ({@code already processed}).
     */
    record Repair(List<S3Notifications.S3Object> objects) implements ResizerWork {

        public Repair {
            objects = List.copyOf(objects);
        }
    }

    /** The {@code eventSource} of the repair sweep's records (S3's own are {@code aws:s3}). */
    String REPAIR_SOURCE = "mediagate:repair";

    /**
     * One file to make again ({@code POST …/reprocess}, a focus change): {@link MediaProcessor#reprocess}, which leaves a
     * file whose manifest has today's recipe as it is unless the message forces it.
     */
    record Reprocess(ReprocessMessage message) implements ResizerWork {
    }

    /** @throws IllegalArgumentException when the body is no work the resizer knows (the message says why, without the body) */
    static ResizerWork parse(String body) {
        Optional<ReprocessMessage> reprocess = ReprocessMessage.parse(body);
        if (reprocess.isPresent()) {
            return new Reprocess(reprocess.get());
        }
        com.fasterxml.jackson.databind.JsonNode root = null;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (java.io.IOException e) {
            // S3Notifications says what is wrong with it.
        }
        if (root != null && MalwareScanResult.isScanResult(root)) {
            return new MalwareScanned(MalwareScanResult.from(root));
        }
        S3Notifications.Notification notification = S3Notifications.parse(body);
        if (notification.isTestEvent()) {
            return new S3TestEvent();
        }
        return notification.fromRepairSweep() ? new Repair(notification.objects()) : new NewOriginals(notification.objects());
    }
}
