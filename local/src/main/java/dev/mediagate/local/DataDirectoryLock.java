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
