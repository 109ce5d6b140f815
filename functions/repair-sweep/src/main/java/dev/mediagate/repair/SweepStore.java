package dev.mediagate.repair;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** The S3 calls the sweep makes: a few in the inventory bucket, HEADs in the media bucket. */
interface SweepStore {

    /** The report folders ({@code …/YYYY-MM-DDTHH-MMZ/}) directly under the inventory's prefix: one LIST, delimited. */
    List<String> reportFolders(String reportsPrefix);

    /** An object of the inventory bucket, read whole (a manifest, the cursor); empty when there is none. */
    Optional<byte[]> read(String key);

    /** An object of the inventory bucket, streamed (a data file of a report). */
    InputStream open(String key);

    /** Writes an object of the inventory bucket (the cursor). */
    void write(String key, byte[] body);

    /** Whether the media bucket holds the key: a HEAD, strongly consistent, unlike the report. */
    boolean exists(String mediaKey);
}
