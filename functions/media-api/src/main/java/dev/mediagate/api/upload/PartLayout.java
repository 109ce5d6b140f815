package dev.mediagate.api.upload;

/**
 * How a multipart upload of {@code size} bytes is cut: parts of {@code partSize} bytes, the last one the remainder. The
 * server chooses, from the size alone: at least 8 MiB (fewer requests than S3's 5 MiB floor, still small enough to
 * retry cheaply), a whole number of MiB, and never more than S3's 10000 parts.
 */
record PartLayout(long size, long partSize) {

    static final long MIB = 1024 * 1024;
    static final long MIN_PART_BYTES = 8 * MIB;
    static final int MAX_PARTS = 10_000;

    PartLayout {
        if (size < 1 || partSize < 1) {
            throw new IllegalArgumentException("a layout needs a positive size and part size");
        }
    }

    static PartLayout forSize(long size) {
        long spread = Math.ceilDiv(Math.ceilDiv(size, MAX_PARTS), MIB) * MIB;
        return new PartLayout(size, Math.max(MIN_PART_BYTES, spread));
    }

    int partCount() {
        return Math.toIntExact(Math.ceilDiv(size, partSize));
    }

    /** The exact length of part {@code partNumber} (1-based), as its URL signs it. */
    long partBytes(int partNumber) {
        if (partNumber < 1 || partNumber > partCount()) {
            throw new IllegalArgumentException("no part " + partNumber + " in " + partCount());
        }
        return partNumber < partCount() ? partSize : size - (partCount() - 1L) * partSize;
    }
}
