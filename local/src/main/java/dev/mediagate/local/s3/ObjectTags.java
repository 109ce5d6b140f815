package dev.mediagate.local.s3;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Object tags, which S3Proxy does not keep (it answers tagging requests 501): the local stand-ins that tag objects as
 * AWS services do (GuardDuty's {@code GuardDutyMalwareScanStatus}) write them here, one file per object under
 * {@code DIR/s3-tags/}, and the local edge reads them where the bucket policy's conditions need
 * {@code s3:ExistingObjectTag/…}. Like S3's PutObjectTagging, a write replaces the object's whole tag set.
 */
public final class ObjectTags {

    private final Path directory;

    public ObjectTags(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object's tags; none for an object never tagged. */
    public Map<String, String> of(String bucket, String key) {
        Path file = file(bucket, key);
        if (!Files.exists(file)) {
            return Map.of();
        }
        Properties tags = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            tags.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new TreeMap<>();
        tags.stringPropertyNames().forEach(name -> out.put(name, tags.getProperty(name)));
        return Map.copyOf(out);
    }

    /** Replaces the object's tag set, whole (a kill mid-write leaves the previous one). */
    public void put(String bucket, String key, Map<String, String> tags) {
        Properties properties = new Properties();
        properties.putAll(tags);
        Path file = file(bucket, key);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Forgets the object's tags: S3 keeps no tags of an object deleted, and a new object under the same key (an upload
     * or copy after a delete, or an overwrite) starts with only the tags its own request carries.
     */
    public void remove(String bucket, String key) {
        try {
            Files.deleteIfExists(file(bucket, key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One flat file name per object: the key's slashes and dots cannot lead out of the directory. */
    private Path file(String bucket, String key) {
        return directory.resolve(URLEncoder.encode(bucket + "/" + key, StandardCharsets.UTF_8).replace(".", "%2E") + ".tags");
    }
}
