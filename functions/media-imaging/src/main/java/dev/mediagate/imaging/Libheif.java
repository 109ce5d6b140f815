package dev.mediagate.imaging;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * libheif from the HEIC layer ({@code HeicSupport=true}), through Java's FFM API: a HEIC or HEIF file's primary image
 * decoded to 8-bit RGB or RGBA, its {@code irot}/{@code imir} transforms applied (libheif's default), with its ICC
 * profile. Loaded only when {@code LIBHEIF_PATH} names it (the template sets it with the layer). The rest of the
 * pipeline is libvips', which gets these pixels.
 */
public final class Libheif {

    /** Where the HEIC layer puts libheif in Lambda ({@code /opt} is the layers' root). */
    public static final String LAYER_LIBRARY = "/opt/lib/libheif.so.1";
    /**
     * What libheif links against, from the same layer, loaded first by their paths in dependency order: Lambda has the
     * layers' {@code /opt/lib} on {@code LD_LIBRARY_PATH}, the local stack's built layer is on no search path, and the
     * loader satisfies a {@code NEEDED} entry with a library already loaded under that SONAME.
     */
    static final List<String> DEPENDENCIES = List.of("libnuma.so.1", "libx265.so.192", "libaom.so.0", "libdav1d.so.4", "libde265.so.0");

    // enum values of libheif 1.11's heif.h (stable across libheif versions).
    private static final int COLORSPACE_RGB = 1;
    private static final int CHROMA_INTERLEAVED_RGB = 10;
    private static final int CHROMA_INTERLEAVED_RGBA = 11;
    private static final int CHANNEL_INTERLEAVED = 10;
    private static final int ERROR_UNSUPPORTED_FILETYPE = 3;
    private static final int ERROR_UNSUPPORTED_FEATURE = 4;
    private static final int ERROR_MEMORY_ALLOCATION = 6;
    private static final int SUBERROR_SECURITY_LIMIT_EXCEEDED = 1000;
    /** {@code heif_color_profile_type}: an ICC profile ({@code prof}, restricted {@code rICC}); {@code nclx} is not one. */
    private static final int PROFILE_PROF = fourcc("prof");
    private static final int PROFILE_RICC = fourcc("rICC");
    /** {@code struct heif_error}: code, subcode, message (never null). Returned by value. */
    private static final StructLayout ERROR = MemoryLayout.structLayout(JAVA_INT.withName("code"), JAVA_INT.withName("subcode"),
            ADDRESS.withName("message"));
    /** {@code struct heif_decoding_options}: the byte {@code convert_hdr_to_8bit} (version 2) after four pointers. */
    private static final long CONVERT_HDR_TO_8BIT_OFFSET = 8 + 4 * ADDRESS.byteSize();

    private static Libheif loaded;

    private final Path path;
    private final SymbolLookup library;
    private final MethodHandle version;
    private final MethodHandle contextAlloc;
    private final MethodHandle contextFree;
    private final MethodHandle readFromMemory;
    private final MethodHandle primaryHandle;
    private final MethodHandle handleRelease;
    private final MethodHandle handleWidth;
    private final MethodHandle handleHeight;
    private final MethodHandle handleHasAlpha;
    private final MethodHandle profileType;
    private final MethodHandle profileSize;
    private final MethodHandle profile;
    private final MethodHandle optionsAlloc;
    private final MethodHandle optionsFree;
    private final MethodHandle decode;
    private final MethodHandle imageWidth;
    private final MethodHandle imageHeight;
    private final MethodHandle plane;
    private final MethodHandle imageRelease;

    private Libheif(Path path) {
        this.path = path;
        for (String dependency : DEPENDENCIES) {
            Path sibling = path.resolveSibling(dependency);
            if (Files.isRegularFile(sibling)) {
                SymbolLookup.libraryLookup(sibling, Arena.global());
            }
        }
        this.library = SymbolLookup.libraryLookup(path, Arena.global());
        version = handle("heif_get_version", FunctionDescriptor.of(ADDRESS));
        contextAlloc = handle("heif_context_alloc", FunctionDescriptor.of(ADDRESS));
        contextFree = handle("heif_context_free", FunctionDescriptor.ofVoid(ADDRESS));
        readFromMemory = handle("heif_context_read_from_memory_without_copy", FunctionDescriptor.of(ERROR, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        primaryHandle = handle("heif_context_get_primary_image_handle", FunctionDescriptor.of(ERROR, ADDRESS, ADDRESS));
        handleRelease = handle("heif_image_handle_release", FunctionDescriptor.ofVoid(ADDRESS));
        handleWidth = handle("heif_image_handle_get_width", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        handleHeight = handle("heif_image_handle_get_height", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        handleHasAlpha = handle("heif_image_handle_has_alpha_channel", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        profileType = handle("heif_image_handle_get_color_profile_type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        profileSize = handle("heif_image_handle_get_raw_color_profile_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        profile = handle("heif_image_handle_get_raw_color_profile", FunctionDescriptor.of(ERROR, ADDRESS, ADDRESS));
        optionsAlloc = handle("heif_decoding_options_alloc", FunctionDescriptor.of(ADDRESS));
        optionsFree = handle("heif_decoding_options_free", FunctionDescriptor.ofVoid(ADDRESS));
        decode = handle("heif_decode_image", FunctionDescriptor.of(ERROR, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        imageWidth = handle("heif_image_get_width", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        imageHeight = handle("heif_image_get_height", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        plane = handle("heif_image_get_plane_readonly", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        imageRelease = handle("heif_image_release", FunctionDescriptor.ofVoid(ADDRESS));
    }

    /**
     * libheif when {@code LIBHEIF_PATH} names it (the HEIC layer is attached), else empty. A configuration that allows
     * {@code image/heic} or {@code image/heif} without it stops the function at init: such uploads could never be read.
     */
    public static Optional<Libheif> from(Settings settings) {
        Optional<String> configured = settings.optional("LIBHEIF_PATH").map(String::strip).filter(value -> !value.isEmpty());
        if (configured.isEmpty()) {
            String allowed = settings.string("ALLOWED_CONTENT_TYPES", "");
            for (String type : allowed.split(",")) {
                String bare = type.strip().toLowerCase(Locale.ROOT);
                if (bare.equals("image/heic") || bare.equals("image/heif")) {
                    throw new ConfigurationException("ALLOWED_CONTENT_TYPES", bare + " needs the HEIC layer: deploy with "
                            + "HeicSupport=true (LIBHEIF_PATH is not set)");
                }
            }
            return Optional.empty();
        }
        return Optional.of(load(Path.of(configured.get())));
    }

    /** libheif from this shared library (its dependencies beside it), once per process. */
    public static synchronized Libheif load(Path path) {
        if (loaded == null) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("libheif is not at " + path + " (the HEIC layer, or LIBHEIF_PATH)");
            }
            loaded = new Libheif(path);
        }
        return loaded;
    }

    public Path path() {
        return path;
    }

    /** libheif's version, e.g. {@code 1.11.0}. */
    public String version() {
        try {
            return ((MemorySegment) version.invokeExact()).reinterpret(64).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** A decoded primary image: {@code width × height × bands} bytes, rows packed, and its ICC profile (empty when none). */
    record Picture(int width, int height, int bands, MemorySegment pixels, byte[] iccProfile) {
    }

    /** What to do with a decoded picture while its pixels are alive (they are freed when this returns). */
    @FunctionalInterface
    interface PictureUse<T> {
        T use(Picture picture) throws VipsOperations.Failure;
    }

    /**
     * Decodes the primary image of {@code file} and hands it to {@code use}: refused as {@code too-many-pixels} from its
     * declared size before any HEVC data is decoded, {@code unsupported-format} for a HEIF libheif cannot decode,
     * {@code corrupt} for one it cannot parse.
     */
    <T> T decode(NativeBytes file, long maxPixels, PictureUse<T> use) throws ImageRejectedException, VipsOperations.Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment context = (MemorySegment) contextAlloc.invokeExact();
            if (context.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("libheif could not allocate a context");
            }
            try {
                check((MemorySegment) readFromMemory.invokeExact((SegmentAllocator) arena, context,
                        file.segment(), file.length(), MemorySegment.NULL), "the HEIF container");
                MemorySegment handleOut = arena.allocate(ADDRESS);
                check((MemorySegment) primaryHandle.invokeExact((SegmentAllocator) arena, context, handleOut),
                        "the primary image");
                MemorySegment handle = handleOut.get(ADDRESS, 0);
                try {
                    return decodePrimary(arena, handle, maxPixels, use);
                } finally {
                    handleRelease.invokeExact(handle);
                }
            } finally {
                contextFree.invokeExact(context);
            }
        } catch (ImageRejectedException | VipsOperations.Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T decodePrimary(Arena arena, MemorySegment handle, long maxPixels, PictureUse<T> use) throws Throwable {
        int declaredWidth = (int) handleWidth.invokeExact(handle);
        int declaredHeight = (int) handleHeight.invokeExact(handle);
        if (declaredWidth <= 0 || declaredHeight <= 0) {
            throw new ImageRejectedException(RejectionReason.CORRUPT, "the HEIF's primary image declares no pixels");
        }
        if ((long) declaredWidth * declaredHeight > maxPixels) {
            throw new ImageRejectedException(RejectionReason.TOO_MANY_PIXELS, declaredWidth + "x" + declaredHeight
                    + " is more than " + maxPixels + " pixels");
        }
        boolean alpha = (int) handleHasAlpha.invokeExact(handle) != 0;
        byte[] icc = iccProfile(arena, handle);
        MemorySegment options = (MemorySegment) optionsAlloc.invokeExact();
        MemorySegment imageOut = arena.allocate(ADDRESS);
        try {
            MemorySegment fields = options.reinterpret(CONVERT_HDR_TO_8BIT_OFFSET + 1);
            if (fields.get(JAVA_BYTE, 0) >= 2) {
                // A 10-bit HEIC (some phones' HDR photos) comes out as the 8-bit RGB the variants are made of.
                fields.set(JAVA_BYTE, CONVERT_HDR_TO_8BIT_OFFSET, (byte) 1);
            }
            // ignore_transformations stays 0: irot and imir are applied, as the HEIF standard makes them part of the image.
            check((MemorySegment) decode.invokeExact((SegmentAllocator) arena, handle, imageOut,
                    COLORSPACE_RGB, alpha ? CHROMA_INTERLEAVED_RGBA : CHROMA_INTERLEAVED_RGB, options), "the primary image's data");
        } finally {
            optionsFree.invokeExact(options);
        }
        MemorySegment image = imageOut.get(ADDRESS, 0);
        try {
            int width = (int) imageWidth.invokeExact(image, CHANNEL_INTERLEAVED);
            int height = (int) imageHeight.invokeExact(image, CHANNEL_INTERLEAVED);
            int bands = alpha ? 4 : 3;
            MemorySegment strideOut = arena.allocate(JAVA_INT);
            MemorySegment rows = (MemorySegment) plane.invokeExact(image, CHANNEL_INTERLEAVED, strideOut);
            int stride = strideOut.get(JAVA_INT, 0);
            long rowBytes = (long) width * bands;
            if (rows.equals(MemorySegment.NULL) || width <= 0 || height <= 0 || stride < rowBytes) {
                throw new ImageRejectedException(RejectionReason.CORRUPT, "libheif gave no 8-bit interleaved pixels");
            }
            if ((long) width * height > maxPixels) {
                throw new ImageRejectedException(RejectionReason.TOO_MANY_PIXELS, width + "x" + height + " is more than "
                        + maxPixels + " pixels");
            }
            MemorySegment source = rows.reinterpret((long) stride * (height - 1) + rowBytes);
            MemorySegment packed = arena.allocate(rowBytes * height);
            for (int y = 0; y < height; y++) {
                MemorySegment.copy(source, (long) y * stride, packed, y * rowBytes, rowBytes);
            }
            return use.use(new Picture(width, height, bands, packed, icc));
        } finally {
            imageRelease.invokeExact(image);
        }
    }

    private byte[] iccProfile(Arena arena, MemorySegment handle) throws Throwable {
        int type = (int) profileType.invokeExact(handle);
        if (type != PROFILE_PROF && type != PROFILE_RICC) {
            // No profile, or an nclx colour description: the pixels are taken as sRGB, as libvips takes untagged ones.
            return new byte[0];
        }
        long size = (long) profileSize.invokeExact(handle);
        if (size <= 0 || size > 16 * 1024 * 1024) {
            return new byte[0];
        }
        MemorySegment data = arena.allocate(size);
        check((MemorySegment) profile.invokeExact((SegmentAllocator) arena, handle, data), "the ICC profile");
        return data.toArray(JAVA_BYTE);
    }

    private static void check(MemorySegment error, String what) throws ImageRejectedException {
        int code = error.get(JAVA_INT, ERROR.byteOffset(MemoryLayout.PathElement.groupElement("code")));
        if (code == 0) {
            return;
        }
        MemorySegment message = error.get(ADDRESS, ERROR.byteOffset(MemoryLayout.PathElement.groupElement("message")));
        String text = message.equals(MemorySegment.NULL) ? "libheif gave no reason" : message.reinterpret(1024).getString(0);
        int subcode = error.get(JAVA_INT, ERROR.byteOffset(MemoryLayout.PathElement.groupElement("subcode")));
        if (subcode == SUBERROR_SECURITY_LIMIT_EXCEEDED) {
            // libheif's own bounds (32768 px a side, its count of items and boxes): a decompression bomb, not our memory.
            throw new ImageRejectedException(RejectionReason.TOO_MANY_PIXELS, "libheif refuses " + what + ": " + text);
        }
        if (code == ERROR_MEMORY_ALLOCATION) {
            throw new IllegalStateException("libheif ran out of memory reading " + what + ": " + text);
        }
        RejectionReason reason = code == ERROR_UNSUPPORTED_FILETYPE || code == ERROR_UNSUPPORTED_FEATURE
                ? RejectionReason.UNSUPPORTED_FORMAT : RejectionReason.CORRUPT;
        throw new ImageRejectedException(reason, "libheif cannot read " + what + ": " + text);
    }

    private MethodHandle handle(String symbol, FunctionDescriptor descriptor) {
        MemorySegment address = library.find(symbol)
                .orElseThrow(() -> new IllegalStateException("libheif at " + path + " has no " + symbol));
        return Linker.nativeLinker().downcallHandle(address, descriptor);
    }

    private static int fourcc(String code) {
        return (code.charAt(0) << 24) | (code.charAt(1) << 16) | (code.charAt(2) << 8) | code.charAt(3);
    }
}
