package dev.mediagate.resizer;

import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.MediaKeys;
import dev.mediagate.core.files.MediaKeys.OriginalKey;
import dev.mediagate.imaging.NativeBytes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A media bucket in memory, for the decision flow's tests: it keeps objects, manifests (with ETags, written under the
 * same conditions S3 checks) and deletion markers, and records every request it is asked, in order, as
 * {@code "VERB key"} ({@code "STORED key"} once a put is done). A test makes a write fail ({@link #failPutsOf}) or slow
 * ({@link #delayPutOf}), or changes the bucket between two steps.
 */
final class FakeMediaBucket implements MediaBucket {

    static final String NAME = "media-bucket";
    static final Instant UPLOADED_AT = Instant.parse("2026-12-02T12:00:00Z");

    record StoredObject(String contentType, byte[] bytes) {
    }

    final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    final Map<String, Map<String, String>> originalMetadata = new ConcurrentHashMap<>();
    final Map<OriginalKey, Manifest.Stored> manifests = new ConcurrentHashMap<>();
    final Set<OriginalKey> deleted = ConcurrentHashMap.newKeySet();
    final Set<String> tagged = ConcurrentHashMap.newKeySet();
    /** Every request in the order it was made. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> failingPuts = key -> false;
    private final Map<String, Long> putDelays = new ConcurrentHashMap<>();
    private int manifestWrites;

    @Override
    public String name() {
        return NAME;
    }

    void putOriginal(OriginalKey file, String contentType, byte[] bytes, Map<String, String> metadata) {
        objects.put(file.key(), new StoredObject(contentType, bytes));
        originalMetadata.put(file.key(), Map.copyOf(metadata));
    }

    /** Stores {@code manifest} as another writer (the API, an earlier run) would. */
    void standingManifest(OriginalKey file, Manifest manifest) {
        manifests.put(file, new Manifest.Stored(manifest, "\"manifest-" + (++manifestWrites) + "\""));
    }

    /** Every put of a key {@code failing} accepts fails as a dropped connection would. */
    void failPutsOf(Predicate<String> failing) {
        this.failingPuts = failing;
    }

    List<String> requests(String verb) {
        return requests.stream().filter(request -> request.startsWith(verb + " ")).map(request -> request.substring(verb.length() + 1)).toList();
    }

    /** The keys stored, originals and manifests aside. */
    List<String> variantKeys() {
        return objects.keySet().stream().filter(key -> !key.startsWith(MediaKeys.ORIGINALS_PREFIX)).sorted().toList();
    }

    @Override
    public Optional<Original> head(String key) {
        requests.add("HEAD " + key);
        StoredObject object = objects.get(key);
        if (object == null) {
            return Optional.empty();
        }
        return Optional.of(new Original(key, "\"" + etagOf(object.bytes()) + "\"", UPLOADED_AT, object.contentType(),
                object.bytes().length, originalMetadata.getOrDefault(key, Map.of())));
    }

    static String etagOf(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public NativeBytes read(Original original, Long firstBytes) {
        requests.add("GET " + original.key() + (firstBytes == null ? "" : " first " + firstBytes));
        StoredObject object = objects.get(original.key());
        if (object == null || !etagOf(object.bytes()).equals(original.etag())) {
            throw SdkClientException.create("412: the original changed");
        }
        byte[] bytes = object.bytes();
        return NativeBytes.copyOf(firstBytes == null || firstBytes >= bytes.length ? bytes
                : java.util.Arrays.copyOf(bytes, firstBytes.intValue()));
    }

    @Override
    public Optional<Manifest.Stored> manifest(OriginalKey file) {
        requests.add("GET " + MediaKeys.manifest(file.owner(), file.fileId()));
        return Optional.ofNullable(manifests.get(file));
    }

    @Override
    public synchronized Optional<Manifest.Stored> writeManifest(OriginalKey file, Manifest manifest,
            Optional<Manifest.Stored> replacing) {
        requests.add("PUT " + MediaKeys.manifest(file.owner(), file.fileId()));
        Manifest.Stored standing = manifests.get(file);
        boolean holds = replacing.isPresent() ? standing != null && standing.etag().equals(replacing.get().etag()) : standing == null;
        if (!holds) {
            return Optional.empty();
        }
        Manifest.Stored stored = new Manifest.Stored(manifest, "\"manifest-" + (++manifestWrites) + "\"");
        manifests.put(file, stored);
        return Optional.of(stored);
    }

    @Override
    public boolean isDeleted(OriginalKey file) {
        requests.add("HEAD " + MediaKeys.deletionMarker(file.owner(), file.fileId()));
        return deleted.contains(file);
    }

    @Override
    public void putVariant(String key, String contentType, byte[] bytes) {
        requests.add("PUT " + key);
        if (failingPuts.test(key)) {
            throw SdkClientException.create("injected: connection reset while writing " + key);
        }
        Long delay = putDelays.get(key);
        if (delay != null) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        objects.put(key, new StoredObject(contentType, bytes));
        requests.add("STORED " + key);
    }

    /** The put of {@code key} takes {@code millis} before it is stored (a slow connection, a Slow Down retried). */
    void delayPutOf(String key, long millis) {
        putDelays.put(key, millis);
    }

    @Override
    public void copy(String from, String to) {
        requests.add("COPY " + from + " " + to);
        objects.put(to, objects.get(from));
    }

    @Override
    public void delete(String key) {
        requests.add("DELETE " + key);
        objects.remove(key);
    }

    @Override
    public void removeEverything(OriginalKey file) {
        for (String prefix : List.of(MediaKeys.publicPrefix(file.owner(), file.fileId()),
                MediaKeys.variantsPrefix(file.owner(), file.fileId()))) {
            requests.add("LIST " + prefix);
            new ArrayList<>(objects.keySet()).stream().filter(key -> key.startsWith(prefix)).forEach(this::delete);
        }
        // The manifest is an object under variants/ too.
        manifests.remove(file);
    }

    @Override
    public boolean markSuperseded(String key, String contentType, String now) {
        requests.add("COPY " + key + " " + key);
        return objects.containsKey(key);
    }

    @Override
    public void tagRejected(String key) {
        requests.add("TAG " + key);
        tagged.add(key);
    }

    /** GuardDuty's verdict tags, by original key. */
    final Map<String, String> malwareScanStatuses = new ConcurrentHashMap<>();

    @Override
    public Optional<String> malwareScanStatus(String key) {
        requests.add("GETTAGS " + key);
        return Optional.ofNullable(malwareScanStatuses.get(key));
    }

    @Override
    public void clearRejected(String key) {
        requests.add("UNTAG " + key);
        tagged.remove(key);
    }
}
