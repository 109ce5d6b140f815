package dev.mediagate.imaging;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A file's bytes in native memory, where libvips reads them: streamed in as they arrive (an S3 object's body), so the
 * Java heap never holds the file, whatever its size; freed by {@link #close()}, after the last image read from them.
 */
public final class NativeBytes implements AutoCloseable {

    /** How much of the stream passes through the heap at a time on its way to native memory. */
    private static final int CHUNK = 64 * 1024;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment bytes;
    private final long length;

    private NativeBytes(long length) {
        this.length = length;
        // libvips is never handed an empty buffer: a zero-length file is still one addressable byte.
        this.bytes = arena.allocate(Math.max(1, length));
    }

    /**
     * Exactly {@code length} bytes read from {@code in} (which this does not close): an {@link EOFException} when it
     * ends early, an {@link IOException} when it holds more.
     */
    public static NativeBytes read(InputStream in, long length) throws IOException {
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cannot hold " + length + " bytes for libvips");
        }
        NativeBytes target = new NativeBytes(length);
        try {
            byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, length))];
            long filled = 0;
            while (filled < length) {
                int read = in.read(chunk, 0, (int) Math.min(chunk.length, length - filled));
                if (read < 0) {
                    throw new EOFException("the stream ended after " + filled + " of " + length + " bytes");
                }
                MemorySegment.copy(chunk, 0, target.bytes, JAVA_BYTE, filled, read);
                filled += read;
            }
            if (in.read() >= 0) {
                throw new IOException("the stream holds more than the " + length + " bytes announced");
            }
            return target;
        } catch (IOException | RuntimeException | Error e) {
            target.close();
            throw e;
        }
    }

    /** A native copy of bytes already on the heap (tests, priming). */
    public static NativeBytes copyOf(byte[] data) {
        NativeBytes target = new NativeBytes(data.length);
        MemorySegment.copy(data, 0, target.bytes, JAVA_BYTE, 0, data.length);
        return target;
    }

    /** A native copy of bytes a native library made (a decoded HEIF's intermediate), before that library frees them. */
    static NativeBytes copyOf(MemorySegment data) {
        NativeBytes target = new NativeBytes(data.byteSize());
        MemorySegment.copy(data, 0, target.bytes, 0, data.byteSize());
        return target;
    }

    public long length() {
        return length;
    }

    /** The first {@code count} bytes (fewer when the file is shorter), on the heap: what sniffing needs. */
    byte[] prefix(int count) {
        return bytes.asSlice(0, Math.min(count, length)).toArray(JAVA_BYTE);
    }

    /** A read-only view for Java's own header checks; no copy. */
    ByteBuffer view() {
        return bytes.asSlice(0, length).asByteBuffer().asReadOnlyBuffer();
    }

    /** The bytes as libvips takes them (address and {@link #length()}). */
    MemorySegment segment() {
        return bytes;
    }

    @Override
    public void close() {
        arena.close();
    }
}
