package dev.mediagate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Work the local stack has accepted but not finished (an async invocation and its retries, a webhook delivery), one
 * JSON file each under a directory of {@code --data-dir}: written whole before the work is accepted, rewritten as its
 * attempts go, removed when it is done or dead-lettered. A stack killed at any moment (kill -9 included) finds it
 * again when it starts; that is what AWS's own queues give the deployed stack.
 */
public final class DiskSpool {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path directory;
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);

    public DiskSpool(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new file for {@code record}, named so that listing the directory gives the order of arrival. */
    public Path add(JsonNode record) {
        Path file = directory.resolve(String.format("%020d-%s.json", sequence.incrementAndGet(), UUID.randomUUID()));
        write(file, record);
        return file;
    }

    /** Replaces the file whole: a kill mid-write leaves the previous version. */
    public void write(Path file, JsonNode record) {
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, JSON.writeValueAsBytes(record));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a previous run left, oldest first. */
    public Map<Path, JsonNode> load() {
        Map<Path, JsonNode> records = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                records.put(file, JSON.readTree(file.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }
}
