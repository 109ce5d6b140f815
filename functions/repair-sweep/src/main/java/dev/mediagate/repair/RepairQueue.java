package dev.mediagate.repair;

/** Where a repair goes: the resizer's own queue, so it is processed as a new upload is, with the same retries. */
interface RepairQueue {

    /** Queues one original again; throws when the queue did not take it. */
    void send(String bucket, String originalKey);
}
