package dev.mediagate.imaging;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.mediagate.core.config.Settings;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of libvips' C API the resizer calls, through Java's FFM API. The rules it keeps: libvips is initialised once
 * per process; an image read from a buffer keeps that buffer alive ({@link Source} owns both); a lazy image is read once
 * per save, so a variant saved in several formats is first copied to memory; every image is unreferenced by
 * {@link Image#close()}; the error buffer is per process, so calls are serialised on this object.
 */
public final class Vips {

    private static final Linker LINKER = Linker.nativeLinker();
    private static Vips loaded;

    // VipsSize, VipsInteresting, VipsFailOn, VipsForeignKeep, VipsForeignHeifCompression, VipsAccess from libvips' headers.
    static final int SIZE_DOWN = 2;
    static final int INTERESTING_NONE = 0;
    static final int INTERESTING_CENTRE = 1;
    static final int FAIL_ON_TRUNCATED = 1;
    private static final int KEEP_NONE = 0;
    private static final int HEIF_COMPRESSION_AV1 = 4;
    private static final int ACCESS_SEQUENTIAL = 1;

    private final SymbolLookup library;
    private final MethodHandle errorBuffer;
    private final MethodHandle errorClear;
    private final MethodHandle newFromBuffer;
    private final MethodHandle thumbnailBuffer;
    private final MethodHandle thumbnailImage;
    private final MethodHandle copyMemory;
    private final MethodHandle unref;
    private final MethodHandle gFree;
    private final MethodHandle width;
    private final MethodHandle height;
    private final MethodHandle bands;
    private final MethodHandle pages;
    private final MethodHandle orientation;
    private final MethodHandle hasAlpha;
    private final MethodHandle interpretation;
    private final MethodHandle maxAlpha;
    private final MethodHandle extractBands;
    private final MethodHandle min;
    private final MethodHandle flatten;
    private final MethodHandle arrayDouble;
    private final MethodHandle areaUnref;
    private final MethodHandle jpegSave;
    private final MethodHandle pngSave;
    private final MethodHandle webpSave;
    private final MethodHandle heifSave;

    private Vips(Path path, int concurrency) {
        library = SymbolLookup.libraryLookup(path, Arena.global());
        MethodHandle init = function("vips_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setenv = function("g_setenv", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        errorBuffer = function("vips_error_buffer", FunctionDescriptor.of(ADDRESS));
        errorClear = function("vips_error_clear", FunctionDescriptor.ofVoid());
        newFromBuffer = variadic("vips_image_new_from_buffer", ADDRESS, List.of(ADDRESS, JAVA_LONG, ADDRESS),
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        // thumbnail(buffer, length, &out, width, "height", h, "size", s, "crop", c, "option_string", loader options, NULL)
        thumbnailBuffer = variadic("vips_thumbnail_buffer", JAVA_INT, List.of(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT),
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        thumbnailImage = variadic("vips_thumbnail_image", JAVA_INT, List.of(ADDRESS, ADDRESS, JAVA_INT),
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        copyMemory = function("vips_image_copy_memory", FunctionDescriptor.of(ADDRESS, ADDRESS));
        unref = function("g_object_unref", FunctionDescriptor.ofVoid(ADDRESS));
        gFree = function("g_free", FunctionDescriptor.ofVoid(ADDRESS));
        width = function("vips_image_get_width", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        height = function("vips_image_get_height", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        bands = function("vips_image_get_bands", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        pages = function("vips_image_get_n_pages", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        orientation = function("vips_image_get_orientation", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        hasAlpha = function("vips_image_hasalpha", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        interpretation = function("vips_image_get_interpretation", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        maxAlpha = function("vips_interpretation_max_alpha", FunctionDescriptor.of(JAVA_DOUBLE, JAVA_INT));
        extractBands = variadic("vips_extract_band", JAVA_INT, List.of(ADDRESS, ADDRESS, JAVA_INT), ADDRESS, JAVA_INT, ADDRESS);
        min = variadic("vips_min", JAVA_INT, List.of(ADDRESS, ADDRESS), ADDRESS);
        flatten = variadic("vips_flatten", JAVA_INT, List.of(ADDRESS, ADDRESS), ADDRESS, ADDRESS, ADDRESS);
        arrayDouble = function("vips_array_double_new", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        areaUnref = function("vips_area_unref", FunctionDescriptor.ofVoid(ADDRESS));
        jpegSave = variadic("vips_jpegsave_buffer", JAVA_INT, List.of(ADDRESS, ADDRESS, ADDRESS),
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        pngSave = variadic("vips_pngsave_buffer", JAVA_INT, List.of(ADDRESS, ADDRESS, ADDRESS),
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        webpSave = variadic("vips_webpsave_buffer", JAVA_INT, List.of(ADDRESS, ADDRESS, ADDRESS),
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        heifSave = variadic("vips_heifsave_buffer", JAVA_INT, List.of(ADDRESS, ADDRESS, ADDRESS),
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        MethodHandle concurrencySet = function("vips_concurrency_set", FunctionDescriptor.ofVoid(JAVA_INT));
        MethodHandle cacheSetMax = function("vips_cache_set_max", FunctionDescriptor.ofVoid(JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            // A hostile file makes libvips print a warning per tile on stderr; its error is what the manifest records.
            int ignored = (int) setenv.invokeExact(arena.allocateFrom("VIPS_WARNING"), arena.allocateFrom("0"), 1);
            if ((int) init.invokeExact(arena.allocateFrom("mediagate")) != 0) {
                throw new IllegalStateException("libvips failed to start: " + takeError());
            }
            concurrencySet.invokeExact(concurrency);
            // Every upload is new bytes: an operation cache would only hold memory.
            cacheSetMax.invokeExact(0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the resizer's layer puts libvips in Lambda ({@code /opt} is the layers' root). */
    public static final String LAYER_LIBRARY = "/opt/lib/libvips-cpp.so.8.18.7";
    /** Memory Lambda gives one full vCPU for. */
    private static final double MEGABYTES_PER_VCPU = 1769;

    /**
     * libvips as configured: {@code LIBVIPS_PATH} (the layer's by default), and as many worker threads per image as
     * the function has vCPUs for its memory ({@code VIPS_CONCURRENCY} overrides), not as many as the host's cores.
     */
    public static Vips from(Settings settings) {
        long memory = settings.longInRange("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", 1769, 128, 10_240);
        long vcpus = Math.max(1, Math.round(memory / MEGABYTES_PER_VCPU));
        return load(Path.of(settings.string("LIBVIPS_PATH", LAYER_LIBRARY)),
                (int) settings.longInRange("VIPS_CONCURRENCY", vcpus, 1, 64));
    }

    /**
     * libvips from this shared library, started once per process with {@code concurrency} worker threads per image.
     * Later calls return the same instance (libvips itself is per process) and refuse a different library.
     */
    public static synchronized Vips load(Path path, int concurrency) {
        if (loaded == null) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("libvips is not at " + path + " (the resizer's layer, or LIBVIPS_PATH)");
            }
            loaded = new Vips(path, concurrency);
        }
        return loaded;
    }

    /** Bytes handed to libvips: a native copy that outlives every image read from it. */
    final class Source implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        final MemorySegment bytes;

        private Source(byte[] data) {
            bytes = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, bytes, JAVA_BYTE, 0, data.length);
        }

        long length() {
            return bytes.byteSize();
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    /** A libvips image this side holds a reference to. */
    final class Image implements AutoCloseable {
        final MemorySegment pointer;

        private Image(MemorySegment pointer) {
            this.pointer = pointer;
        }

        int width() {
            return property(width, pointer);
        }

        int height() {
            return property(height, pointer);
        }

        int bands() {
            return property(bands, pointer);
        }

        @Override
        public void close() {
            try {
                unref.invokeExact(pointer);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What the header says about a picture, read without decoding a pixel. */
    record Header(int width, int height, int pages, int orientation) {
    }

    /** An image's outcome from libvips that is not ours to fix: the bytes are bad. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    Source source(byte[] data) {
        return new Source(data);
    }

    Header header(Source source) throws Failure {
        return inArena(arena -> {
            MemorySegment image = (MemorySegment) newFromBuffer.invokeExact(source.bytes, source.length(), arena.allocateFrom(""),
                    arena.allocateFrom("access"), ACCESS_SEQUENTIAL, arena.allocateFrom("fail_on"), FAIL_ON_TRUNCATED,
                    MemorySegment.NULL);
            if (image.equals(MemorySegment.NULL)) {
                throw new Failure(takeError());
            }
            try (Image header = new Image(image)) {
                int orient = (int) orientation.invokeExact(image);
                return new Header(header.width(), header.height(), Math.max(1, (int) pages.invokeExact(image)),
                        orient >= 1 && orient <= 8 ? orient : 1);
            }
        });
    }

    /**
     * libvips' thumbnail of the first frame: shrink-on-load, upright by its EXIF orientation, colour-managed to sRGB,
     * never upscaled, a centred crop to fill the box when {@code cover}; copied to memory, ready for several saves.
     */
    Image thumbnail(Source source, int boxWidth, int boxHeight, boolean cover) throws Failure {
        return inArena(arena -> {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = (int) thumbnailBuffer.invokeExact(source.bytes, source.length(), out, boxWidth,
                    arena.allocateFrom("height"), boxHeight, arena.allocateFrom("size"), SIZE_DOWN,
                    arena.allocateFrom("crop"), cover ? INTERESTING_CENTRE : INTERESTING_NONE,
                    // thumbnail's own fail_on does not reach the loader; the loader's options do.
                    arena.allocateFrom("option_string"), arena.allocateFrom("fail_on=truncated"), MemorySegment.NULL);
            return inMemory(status, out);
        });
    }

    /** A smaller thumbnail of an image already in memory. */
    Image thumbnail(Image image, int boxWidth, int boxHeight) throws Failure {
        return inArena(arena -> {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = (int) thumbnailImage.invokeExact(image.pointer, out, boxWidth,
                    arena.allocateFrom("height"), boxHeight, arena.allocateFrom("size"), SIZE_DOWN, MemorySegment.NULL);
            return inMemory(status, out);
        });
    }

    /** Whether the image has an alpha channel with any pixel not fully opaque. */
    boolean translucent(Image image) throws Failure {
        return inArena(arena -> {
            if ((int) hasAlpha.invokeExact(image.pointer) == 0) {
                return false;
            }
            MemorySegment out = arena.allocate(ADDRESS);
            int status = (int) extractBands.invokeExact(image.pointer, out, image.bands() - 1,
                    arena.allocateFrom("n"), 1, MemorySegment.NULL);
            try (Image alpha = owned(status, out)) {
                MemorySegment least = arena.allocate(JAVA_DOUBLE);
                if ((int) min.invokeExact(alpha.pointer, least, MemorySegment.NULL) != 0) {
                    throw new Failure(takeError());
                }
                double opaque = (double) maxAlpha.invokeExact((int) interpretation.invokeExact(image.pointer));
                return least.get(JAVA_DOUBLE, 0) < opaque;
            }
        });
    }

    /** The image without its alpha band (for one that {@link #translucent} says is fully opaque). */
    Image withoutAlpha(Image image) throws Failure {
        return inArena(arena -> {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = (int) extractBands.invokeExact(image.pointer, out, 0, arena.allocateFrom("n"), image.bands() - 1,
                    MemorySegment.NULL);
            return inMemory(status, out);
        });
    }

    /** The image composed onto white. */
    Image onWhite(Image image) throws Failure {
        return inArena(arena -> {
            MemorySegment white = arena.allocate(MemoryLayout.sequenceLayout(3, JAVA_DOUBLE));
            double max = (double) maxAlpha.invokeExact((int) interpretation.invokeExact(image.pointer));
            for (int i = 0; i < 3; i++) {
                white.setAtIndex(JAVA_DOUBLE, i, max);
            }
            MemorySegment background = (MemorySegment) arrayDouble.invokeExact(white, 3);
            try {
                MemorySegment out = arena.allocate(ADDRESS);
                int status = (int) flatten.invokeExact(image.pointer, out, arena.allocateFrom("background"), background,
                        MemorySegment.NULL);
                return inMemory(status, out);
            } finally {
                areaUnref.invokeExact(background);
            }
        });
    }

    /** The encodings a variant can be written in; each saves 8-bit pixels and no metadata at all. */
    enum Format { JPEG, PNG, WEBP, AVIF }

    /** The image encoded; {@code quality} and {@code effort} apply where the format has them. */
    byte[] save(Image image, Format format, int quality, int effort) throws Failure {
        return inArena(arena -> {
            MemorySegment buffer = arena.allocate(ADDRESS);
            MemorySegment length = arena.allocate(JAVA_LONG);
            MemorySegment keep = arena.allocateFrom("keep");
            MemorySegment q = arena.allocateFrom("Q");
            int status = switch (format) {
                case JPEG -> (int) jpegSave.invokeExact(image.pointer, buffer, length, q, quality, keep, KEEP_NONE,
                        arena.allocateFrom("optimize_coding"), 1, MemorySegment.NULL);
                case PNG -> (int) pngSave.invokeExact(image.pointer, buffer, length, keep, KEEP_NONE,
                        arena.allocateFrom("bitdepth"), 8, MemorySegment.NULL);
                case WEBP -> (int) webpSave.invokeExact(image.pointer, buffer, length, q, quality, keep, KEEP_NONE,
                        arena.allocateFrom("effort"), effort, MemorySegment.NULL);
                case AVIF -> (int) heifSave.invokeExact(image.pointer, buffer, length, q, quality, keep, KEEP_NONE,
                        arena.allocateFrom("compression"), HEIF_COMPRESSION_AV1, arena.allocateFrom("effort"), effort,
                        MemorySegment.NULL);
            };
            if (status != 0) {
                throw new Failure(takeError());
            }
            MemorySegment bytes = buffer.get(ADDRESS, 0);
            try {
                return bytes.reinterpret(length.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
            } finally {
                gFree.invokeExact(bytes);
            }
        });
    }

    /** A call into libvips with an arena for its arguments; one at a time, as libvips' error buffer is per process. */
    @FunctionalInterface
    private interface NativeCall<T> {
        T call(Arena arena) throws Throwable;
    }

    private synchronized <T> T inArena(NativeCall<T> call) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            return call.call(arena);
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private Image inMemory(int status, MemorySegment out) throws Throwable {
        try (Image lazy = owned(status, out)) {
            MemorySegment copy = (MemorySegment) copyMemory.invokeExact(lazy.pointer);
            if (copy.equals(MemorySegment.NULL)) {
                throw new Failure(takeError());
            }
            return new Image(copy);
        }
    }

    private Image owned(int status, MemorySegment out) throws Failure {
        if (status != 0) {
            throw new Failure(takeError());
        }
        return new Image(out.get(ADDRESS, 0));
    }

    private String takeError() {
        try {
            String text = ((MemorySegment) errorBuffer.invokeExact()).reinterpret(Integer.MAX_VALUE).getString(0).strip();
            errorClear.invokeExact();
            return text.isEmpty() ? "libvips gave no reason" : text;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static int property(MethodHandle getter, MemorySegment image) {
        try {
            return (int) getter.invokeExact(image);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(library.find(name)
                .orElseThrow(() -> new IllegalStateException("libvips has no " + name)), descriptor);
    }

    /** A variadic C function: the fixed arguments, then name/value pairs and the NULL that ends them. */
    private MethodHandle variadic(String name, MemoryLayout result, List<MemoryLayout> fixed, MemoryLayout... rest) {
        List<MemoryLayout> all = new ArrayList<>(fixed);
        all.addAll(List.of(rest));
        FunctionDescriptor descriptor = FunctionDescriptor.of(result, all.toArray(MemoryLayout[]::new));
        return LINKER.downcallHandle(library.find(name)
                .orElseThrow(() -> new IllegalStateException("libvips has no " + name)), descriptor,
                Linker.Option.firstVariadicArg(fixed.size()));
    }
}
