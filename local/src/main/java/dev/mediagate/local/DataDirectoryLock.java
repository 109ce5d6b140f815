package dev.mediagate.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer of a {@code --data-dir} at a time: the running stack, or a command that writes its bucket with the stack
 * stopped ({@code reprocess}). Two S3Proxy instances on one directory would each miss the other's writes' notifications,
 * and events a command keeps for the stack's next start would wait for a start that has already happened. An
 * operating-system lock, so a stack killed with {@code kill -9} leaves none behind.
 */
public final class DataDirectoryLock implements AutoCloseable {

    static final String FILE = "in-use.lock";
    private static final java.util.regex.Pattern RUNNING_STACK_API = java.util.regex.Pattern.compile(
            "a running local stack \\(API on (http://127\\.0\\.0\\.1:\\d+/)\\)");

    /** What a running stack's lock says, naming its API (which {@link #runningStackApi} reads back). */
    static String runningStack(int apiPort) {
        return "a running local stack (API on http://127.0.0.1:" + apiPort + "/)";
    }

    /** The API of the stack that holds the directory now; empty when none does (or a command holds it). */
    public static java.util.Optional<java.net.URI> runningStackApi(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock != null) {
                lock.release();
                return java.util.Optional.empty();
            }
            java.util.regex.Matcher holder = RUNNING_STACK_API.matcher(Files.readString(file, StandardCharsets.UTF_8));
            return holder.find() ? java.util.Optional.of(java.net.URI.create(holder.group(1))) : java.util.Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the directory for {@code holder} (what a refused second writer is told holds it), or refuses at once with
     * an {@link IllegalStateException} naming the directory and its holder.
     */
    public static DataDirectoryLock take(Path dataDir, String holder) {
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String by = Files.readString(dataDir.resolve(FILE), StandardCharsets.UTF_8).strip();
                channel.close();
                throw new IllegalStateException(dataDir + " is in use by " + (by.isEmpty() ? "another local stack" : by));
            }
            DataDirectoryLock taken = new DataDirectoryLock(channel, lock);
            taken.describe(holder);
            return taken;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces what a refused writer is told holds the directory (the stack's API port is known once it listens). */
    public void describe(String holder) {
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
