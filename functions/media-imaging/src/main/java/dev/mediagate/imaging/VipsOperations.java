package dev.mediagate.imaging;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of libvips' C API the resizer calls, each function declared once ({@link VipsFunction}) and wrapped in a
 * typed Java method. The rules it keeps: an image read from a buffer keeps that buffer alive ({@link NativeBytes} owns
 * it); a lazy image is read once per save, so a variant saved in several formats is first copied to memory; every
 * image is unreferenced by {@link Image#close()}; the error buffer is per process, so calls are serialised on this
 * object.
 */
final class VipsOperations {

    // VipsSize, VipsInteresting, VipsFailOn, VipsForeignKeep, VipsForeignHeifCompression, VipsAccess, VipsBandFormat,
    // VipsInterpretation
    // from libvips' headers.
    static final int SIZE_DOWN = 2;
    static final int INTERESTING_NONE = 0;
    static final int INTERESTING_CENTRE = 1;
    static final int INTERESTING_ENTROPY = 2;
    static final int INTERESTING_ATTENTION = 3;
    /** The VipsInteresting values above by libvips' own nicks, checked against libvips' enum at load. */
    static final Map<String, Integer> INTERESTING_NICKS = Map.of("none", INTERESTING_NONE, "centre", INTERESTING_CENTRE,
            "entropy", INTERESTING_ENTROPY, "attention", INTERESTING_ATTENTION);
    static final int FAIL_ON_TRUNCATED = 1;
    static final int KEEP_NONE = 0;
    static final int KEEP_ICC = 8;
    static final int TIFF_COMPRESSION_NONE = 0;
    static final int HEIF_COMPRESSION_AV1 = 4;
    static final int ACCESS_SEQUENTIAL = 1;
    static final int FORMAT_UCHAR = 0;
    static final int INTERPRETATION_SRGB = 22;

    // The options the resizer passes, typed by how libvips takes them (checked against libvips at load).
    static final VipsOption<Integer> ACCESS = VipsOption.integer("access");
    static final VipsOption<Integer> FAIL_ON = VipsOption.integer("fail_on");
    static final VipsOption<Integer> HEIGHT = VipsOption.integer("height");
    static final VipsOption<Integer> SIZE = VipsOption.integer("size");
    static final VipsOption<Integer> CROP = VipsOption.integer("crop");
    static final VipsOption<String> OPTION_STRING = VipsOption.string("option_string");
    static final VipsOption<Integer> BANDS = VipsOption.integer("n");
    static final VipsOption<MemorySegment> BACKGROUND = VipsOption.boxed("background");
    static final VipsOption<Integer> Q = VipsOption.integer("Q");
    static final VipsOption<Integer> KEEP = VipsOption.integer("keep");
    static final VipsOption<Boolean> OPTIMIZE_CODING = VipsOption.bool("optimize_coding");
    static final VipsOption<Integer> BITDEPTH = VipsOption.integer("bitdepth");
    static final VipsOption<Integer> EFFORT = VipsOption.integer("effort");
    static final VipsOption<Integer> COMPRESSION = VipsOption.integer("compression");
    static final VipsOption<Integer> ACROSS = VipsOption.integer("across");

    /** The encodings libvips writes here; each saves 8-bit pixels and no metadata at all (see {@link EncoderPolicy}). */
    enum Format { JPEG, PNG, WEBP, AVIF, GIF }

    private static final List<MemoryLayout> SAVE_TO_BUFFER = List.of(ADDRESS, ADDRESS, ADDRESS);

    private final VipsFunction errorBuffer;
    private final VipsFunction errorClear;
    private final VipsFunction newFromBuffer;
    private final VipsFunction newFromMemory;
    private final VipsFunction thumbnailBuffer;
    private final VipsFunction thumbnailImage;
    private final VipsFunction copyMemory;
    private final VipsFunction unref;
    private final VipsFunction gFree;
    private final VipsFunction width;
    private final VipsFunction height;
    private final VipsFunction bands;
    private final VipsFunction pages;
    private final VipsFunction orientation;
    private final VipsFunction hasAlpha;
    private final VipsFunction interpretation;
    private final VipsFunction maxAlpha;
    private final VipsFunction extractBand;
    private final VipsFunction min;
    private final VipsFunction flatten;
    private final VipsFunction arrayDouble;
    private final VipsFunction areaUnref;
    private final VipsFunction colourspace;
    private final VipsFunction format;
    private final VipsFunction writeToMemory;
    private final VipsFunction extractArea;
    private final VipsFunction typeOf;
    private final VipsFunction arrayInt;
    private final VipsFunction pageHeight;
    private final VipsFunction arrayJoin;
    private final VipsFunction setInt;
    private final Map<Format, VipsFunction> savers;
    private final VipsFunction setBlobCopy;
    private final VipsFunction tiffSave;

    VipsOperations(Libvips library) {
        Optional<MemoryLayout> integer = Optional.of(JAVA_INT);
        errorBuffer = VipsFunction.plain(library, "vips_error_buffer", Optional.of(ADDRESS));
        errorClear = VipsFunction.plain(library, "vips_error_clear", Optional.empty());
        // Any loader's options; libvips picks the loader from the bytes, the JPEG one stands for all in the check.
        newFromBuffer = VipsFunction.variadic(library, "vips_image_new_from_buffer", "jpegload_buffer", ADDRESS,
                List.of(ADDRESS, JAVA_LONG, ADDRESS), ACCESS, FAIL_ON);
        newFromMemory = VipsFunction.plain(library, "vips_image_new_from_memory_copy", Optional.of(ADDRESS),
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        thumbnailBuffer = VipsFunction.variadic(library, "vips_thumbnail_buffer", "thumbnail_buffer", JAVA_INT,
                List.of(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT), HEIGHT, SIZE, CROP, OPTION_STRING);
        thumbnailImage = VipsFunction.variadic(library, "vips_thumbnail_image", "thumbnail_image", JAVA_INT,
                List.of(ADDRESS, ADDRESS, JAVA_INT), HEIGHT, SIZE);
        copyMemory = VipsFunction.plain(library, "vips_image_copy_memory", Optional.of(ADDRESS), ADDRESS);
        unref = VipsFunction.plain(library, "g_object_unref", Optional.empty(), ADDRESS);
        gFree = VipsFunction.plain(library, "g_free", Optional.empty(), ADDRESS);
        width = VipsFunction.plain(library, "vips_image_get_width", integer, ADDRESS);
        height = VipsFunction.plain(library, "vips_image_get_height", integer, ADDRESS);
        bands = VipsFunction.plain(library, "vips_image_get_bands", integer, ADDRESS);
        pages = VipsFunction.plain(library, "vips_image_get_n_pages", integer, ADDRESS);
        orientation = VipsFunction.plain(library, "vips_image_get_orientation", integer, ADDRESS);
        hasAlpha = VipsFunction.plain(library, "vips_image_hasalpha", integer, ADDRESS);
        interpretation = VipsFunction.plain(library, "vips_image_get_interpretation", integer, ADDRESS);
        maxAlpha = VipsFunction.plain(library, "vips_interpretation_max_alpha", Optional.of(JAVA_DOUBLE), JAVA_INT);
        extractBand = VipsFunction.variadic(library, "vips_extract_band", "extract_band", JAVA_INT,
                List.of(ADDRESS, ADDRESS, JAVA_INT), BANDS);
        min = VipsFunction.variadic(library, "vips_min", "min", JAVA_INT, List.of(ADDRESS, ADDRESS));
        flatten = VipsFunction.variadic(library, "vips_flatten", "flatten", JAVA_INT, List.of(ADDRESS, ADDRESS), BACKGROUND);
        arrayDouble = VipsFunction.plain(library, "vips_array_double_new", Optional.of(ADDRESS), ADDRESS, JAVA_INT);
        areaUnref = VipsFunction.plain(library, "vips_area_unref", Optional.empty(), ADDRESS);
        colourspace = VipsFunction.variadic(library, "vips_colourspace", "colourspace", JAVA_INT, List.of(ADDRESS, ADDRESS, JAVA_INT));
        format = VipsFunction.plain(library, "vips_image_get_format", integer, ADDRESS);
        writeToMemory = VipsFunction.plain(library, "vips_image_write_to_memory", Optional.of(ADDRESS), ADDRESS, ADDRESS);
        extractArea = VipsFunction.variadic(library, "vips_extract_area", "extract_area", JAVA_INT,
                List.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        typeOf = VipsFunction.plain(library, "vips_image_get_typeof", Optional.of(JAVA_LONG), ADDRESS, ADDRESS);
        arrayInt = VipsFunction.plain(library, "vips_image_get_array_int", integer, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        pageHeight = VipsFunction.plain(library, "vips_image_get_page_height", integer, ADDRESS);
        arrayJoin = VipsFunction.variadic(library, "vips_arrayjoin", "arrayjoin", JAVA_INT, List.of(ADDRESS, ADDRESS, JAVA_INT), ACROSS);
        setInt = VipsFunction.plain(library, "vips_image_set_int", Optional.empty(), ADDRESS, ADDRESS, JAVA_INT);
        setBlobCopy = VipsFunction.plain(library, "vips_image_set_blob_copy", Optional.empty(), ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
        tiffSave = VipsFunction.variadic(library, "vips_tiffsave_buffer", "tiffsave_buffer", JAVA_INT, SAVE_TO_BUFFER,
                KEEP, COMPRESSION);
        requireEnum(library, "vips_interesting_get_type", INTERESTING_NICKS);
        savers = Map.of(
                Format.JPEG, VipsFunction.variadic(library, "vips_jpegsave_buffer", "jpegsave_buffer", JAVA_INT, SAVE_TO_BUFFER,
                        Q, KEEP, OPTIMIZE_CODING),
                Format.PNG, VipsFunction.variadic(library, "vips_pngsave_buffer", "pngsave_buffer", JAVA_INT, SAVE_TO_BUFFER,
                        KEEP, BITDEPTH),
                Format.WEBP, VipsFunction.variadic(library, "vips_webpsave_buffer", "webpsave_buffer", JAVA_INT, SAVE_TO_BUFFER,
                        Q, KEEP, EFFORT),
                Format.AVIF, VipsFunction.variadic(library, "vips_heifsave_buffer", "heifsave_buffer", JAVA_INT, SAVE_TO_BUFFER,
                        Q, KEEP, COMPRESSION, EFFORT),
                Format.GIF, VipsFunction.variadic(library, "vips_gifsave_buffer", "gifsave_buffer", JAVA_INT, SAVE_TO_BUFFER,
                        KEEP));
    }

    /**
     * The enum values this class passes as plain ints are the ones libvips gives those nicks ({@code vips_enum_from_nick}
     * on the enum's GType): a libvips that renumbered them stops the load instead of cropping the wrong way.
     */
    private static void requireEnum(Libvips library, String typeFunction, Map<String, Integer> expected) {
        try (Arena arena = Arena.ofConfined()) {
            long type = VipsFunction.plain(library, typeFunction, Optional.of(JAVA_LONG)).call(arena).invokeLong();
            VipsFunction fromNick = VipsFunction.plain(library, "vips_enum_from_nick", Optional.of(JAVA_INT), ADDRESS, JAVA_LONG, ADDRESS);
            for (Map.Entry<String, Integer> value : expected.entrySet()) {
                int actual = fromNick.call(arena).pointer(arena.allocateFrom("mediagate")).size(type)
                        .pointer(arena.allocateFrom(value.getKey())).invokeInt();
                if (actual != value.getValue()) {
                    throw new IllegalStateException("libvips' " + typeFunction + " gives '" + value.getKey() + "' the value " + actual
                            + ", not " + value.getValue());
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every function declared here, for the checks {@link Libvips} makes at load. */
    List<VipsFunction> functions() {
        List<VipsFunction> all = new java.util.ArrayList<>(List.of(errorBuffer, errorClear, newFromBuffer, newFromMemory,
                thumbnailBuffer, thumbnailImage, copyMemory, unref, gFree, width, height, bands, pages, orientation, hasAlpha,
                interpretation, maxAlpha, extractBand, min, flatten, arrayDouble, areaUnref, colourspace, format, writeToMemory, extractArea, typeOf, arrayInt, pageHeight, arrayJoin, setInt, setBlobCopy, tiffSave));
        all.addAll(savers.values());
        return all;
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

        /** How many frames an animated image holds (its pages are stacked top to bottom), 1 for a still. */
        int frames() {
            return Math.max(1, height() / Math.max(1, property(pageHeight, pointer)));
        }

        @Override
        public void close() {
            try (Arena arena = Arena.ofConfined()) {
                unref.call(arena).pointer(pointer).invokeVoid();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * What the header says about a picture, read without decoding a pixel; {@code durationMs} is one loop of an
     * animation (the sum of its frames' delays), 0 for a still.
     */
    record Header(int width, int height, int pages, int orientation, int durationMs) {
    }

    /** An image's outcome from libvips that is not ours to fix: the bytes are bad. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    Header header(NativeBytes source) throws Failure {
        return inArena(arena -> {
            MemorySegment image = newFromBuffer.call(arena).pointer(source.segment()).size(source.length())
                    .pointer(arena.allocateFrom("")).option(ACCESS.of(ACCESS_SEQUENTIAL)).option(FAIL_ON.of(FAIL_ON_TRUNCATED))
                    .invokePointer();
            if (image.equals(MemorySegment.NULL)) {
                throw new Failure(takeError(arena));
            }
            try (Image header = new Image(image)) {
                int orient = orientation.call(arena).pointer(image).invokeInt();
                int pageCount = Math.max(1, pages.call(arena).pointer(image).invokeInt());
                return new Header(header.width(), header.height(), pageCount, orient >= 1 && orient <= 8 ? orient : 1,
                        pageCount > 1 ? duration(arena, image) : 0);
            }
        });
    }

    /** The sum of the frames' {@code delay} (milliseconds, as GIF and WebP loaders give it); 0 when there is none. */
    private int duration(Arena arena, MemorySegment image) throws Throwable {
        MemorySegment name = arena.allocateFrom("delay");
        if (typeOf.call(arena).pointer(image).pointer(name).invokeLong() == 0) {
            return 0;
        }
        MemorySegment array = arena.allocate(ADDRESS);
        MemorySegment count = arena.allocate(JAVA_INT);
        if (arrayInt.call(arena).pointer(image).pointer(name).pointer(array).pointer(count).invokeInt() != 0) {
            takeError(arena);
            return 0;
        }
        // The array belongs to the image's metadata: read, never freed here.
        int n = count.get(JAVA_INT, 0);
        MemorySegment delays = array.get(ADDRESS, 0).reinterpret((long) n * JAVA_INT.byteSize());
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += Math.max(0, delays.getAtIndex(JAVA_INT, i));
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    /**
     * libvips' thumbnail of the first frame: shrink-on-load, upright by its EXIF orientation, colour-managed to sRGB,
     * never upscaled, a centred crop to fill the box when {@code cover}; copied to memory, ready for several saves.
     */
    Image thumbnail(NativeBytes source, int boxWidth, int boxHeight, boolean cover) throws Failure {
        return thumbnail(source, boxWidth, boxHeight, cover ? INTERESTING_CENTRE : INTERESTING_NONE);
    }

    /**
     * As {@link #thumbnail(NativeBytes, int, int, boolean)}, filling the box with the crop {@code interesting} picks
     * ({@code INTERESTING_*}: none fits inside the box; centre, entropy and attention fill it).
     */
    Image thumbnail(NativeBytes source, int boxWidth, int boxHeight, int interesting) throws Failure {
        return thumbnail(source, boxWidth, boxHeight, interesting, false);
    }

    /**
     * As {@link #thumbnail(NativeBytes, int, int, int)}; with {@code everyFrame} an animated GIF or WebP is loaded whole
     * ({@code n=-1}: its frames stacked, each resized and cropped alike, delays and loop kept) for an animated save.
     */
    Image thumbnail(NativeBytes source, int boxWidth, int boxHeight, int interesting, boolean everyFrame) throws Failure {
        return inArena(arena -> {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = thumbnailBuffer.call(arena).pointer(source.segment()).size(source.length()).pointer(out).integer(boxWidth)
                    .option(HEIGHT.of(boxHeight)).option(SIZE.of(SIZE_DOWN))
                    .option(CROP.of(interesting))
                    // thumbnail's own fail_on does not reach the loader; the loader's options do.
                    .option(OPTION_STRING.of(everyFrame ? "fail_on=truncated,n=-1" : "fail_on=truncated")).invokeInt();
            return inMemory(arena, status, out);
        });
    }

    /** A smaller thumbnail of an image already in memory. */
    Image thumbnail(Image image, int boxWidth, int boxHeight) throws Failure {
        return inArena(arena -> {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = thumbnailImage.call(arena).pointer(image.pointer).pointer(out).integer(boxWidth)
                    .option(HEIGHT.of(boxHeight)).option(SIZE.of(SIZE_DOWN)).invokeInt();
            return inMemory(arena, status, out);
        });
    }

    /** The {@code width × height} area at {@code left, top}, in memory. */
    Image crop(Image image, int left, int top, int areaWidth, int areaHeight) throws Failure {
        return inArena(arena -> {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = extractArea.call(arena).pointer(image.pointer).pointer(out).integer(left).integer(top).integer(areaWidth)
                    .integer(areaHeight).invokeInt();
            return inMemory(arena, status, out);
        });
    }

    /**
     * The same {@code width × height} area of every frame of an animation (frames stacked top to bottom, as libvips
     * loads them with {@code n=-1}), stacked again: delays and loop count kept, each frame now {@code height} high.
     */
    Image cropFrames(Image stack, int left, int top, int areaWidth, int areaHeight) throws Failure {
        return inArena(arena -> {
            int frameHeight = stack.height() / stack.frames();
            int count = stack.frames();
            MemorySegment pieces = arena.allocate(ADDRESS, count);
            List<Image> cut = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    MemorySegment out = arena.allocate(ADDRESS);
                    int status = extractArea.call(arena).pointer(stack.pointer).pointer(out).integer(left)
                            .integer(i * frameHeight + top).integer(areaWidth).integer(areaHeight).invokeInt();
                    Image piece = owned(arena, status, out);
                    cut.add(piece);
                    pieces.setAtIndex(ADDRESS, i, piece.pointer);
                }
                MemorySegment joined = arena.allocate(ADDRESS);
                int status = arrayJoin.call(arena).pointer(pieces).pointer(joined).integer(count).option(ACROSS.of(1)).invokeInt();
                try (Image lazy = owned(arena, status, joined)) {
                    // A new image of ours: its frame height is set before anything reads it.
                    setInt.call(arena).pointer(lazy.pointer).pointer(arena.allocateFrom("page-height")).integer(areaHeight).invokeVoid();
                    MemorySegment copy = copyMemory.call(arena).pointer(lazy.pointer).invokePointer();
                    if (copy.equals(MemorySegment.NULL)) {
                        throw new Failure(takeError(arena));
                    }
                    return new Image(copy);
                }
            } finally {
                cut.forEach(Image::close);
            }
        });
    }

    /** Whether the image has an alpha channel with any pixel not fully opaque. */
    boolean translucent(Image image) throws Failure {
        return inArena(arena -> {
            if (hasAlpha.call(arena).pointer(image.pointer).invokeInt() == 0) {
                return false;
            }
            MemorySegment out = arena.allocate(ADDRESS);
            int status = extractBand.call(arena).pointer(image.pointer).pointer(out).integer(image.bands() - 1)
                    .option(BANDS.of(1)).invokeInt();
            try (Image alpha = owned(arena, status, out)) {
                MemorySegment least = arena.allocate(JAVA_DOUBLE);
                if (min.call(arena).pointer(alpha.pointer).pointer(least).invokeInt() != 0) {
                    throw new Failure(takeError(arena));
                }
                return least.get(JAVA_DOUBLE, 0) < opaque(arena, image);
            }
        });
    }

    /** The image without its alpha band (for one that {@link #translucent} says is fully opaque). */
    Image withoutAlpha(Image image) throws Failure {
        return inArena(arena -> {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = extractBand.call(arena).pointer(image.pointer).pointer(out).integer(0)
                    .option(BANDS.of(image.bands() - 1)).invokeInt();
            return inMemory(arena, status, out);
        });
    }

    /** The image composed onto white. */
    Image onWhite(Image image) throws Failure {
        return inArena(arena -> {
            MemorySegment white = arena.allocate(MemoryLayout.sequenceLayout(3, JAVA_DOUBLE));
            double max = opaque(arena, image);
            for (int i = 0; i < 3; i++) {
                white.setAtIndex(JAVA_DOUBLE, i, max);
            }
            MemorySegment background = arrayDouble.call(arena).pointer(white).integer(3).invokePointer();
            try {
                MemorySegment out = arena.allocate(ADDRESS);
                int status = flatten.call(arena).pointer(image.pointer).pointer(out).option(BACKGROUND.of(background)).invokeInt();
                return inMemory(arena, status, out);
            } finally {
                areaUnref.call(arena).pointer(background).invokeVoid();
            }
        });
    }

    /** Pixels as Java holds them: {@code width × height}, 4 bytes each (R, G, B, A, not premultiplied), row by row. */
    record Rgba(int width, int height, byte[] pixels) {
    }

    /**
     * The image's pixels as 8-bit sRGB with alpha (opaque where it has none), for the small summaries computed in Java
     * (ThumbHash, dominant colour): grey and 16-bit images are converted by libvips' {@code colourspace}.
     */
    Rgba rgba(Image image) throws Failure {
        return inArena(arena -> {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = colourspace.call(arena).pointer(image.pointer).pointer(out).integer(INTERPRETATION_SRGB).invokeInt();
            try (Image srgb = owned(arena, status, out)) {
                int bandCount = srgb.bands();
                int bandFormat = format.call(arena).pointer(srgb.pointer).invokeInt();
                if (bandFormat != FORMAT_UCHAR || bandCount < 3 || bandCount > 4) {
                    throw new Failure("sRGB conversion gave " + bandCount + " bands of format " + bandFormat + ", not 8-bit RGB(A)");
                }
                MemorySegment length = arena.allocate(JAVA_LONG);
                MemorySegment data = writeToMemory.call(arena).pointer(srgb.pointer).pointer(length).invokePointer();
                if (data.equals(MemorySegment.NULL)) {
                    throw new Failure(takeError(arena));
                }
                try {
                    int imageWidth = srgb.width();
                    int imageHeight = srgb.height();
                    byte[] packed = data.reinterpret(length.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
                    if (packed.length != imageWidth * imageHeight * bandCount) {
                        throw new Failure(packed.length + " bytes are not " + imageWidth + "x" + imageHeight + "x" + bandCount);
                    }
                    if (bandCount == 4) {
                        return new Rgba(imageWidth, imageHeight, packed);
                    }
                    byte[] pixels = new byte[imageWidth * imageHeight * 4];
                    for (int i = 0, j = 0; j < packed.length; i += 4, j += 3) {
                        pixels[i] = packed[j];
                        pixels[i + 1] = packed[j + 1];
                        pixels[i + 2] = packed[j + 2];
                        pixels[i + 3] = (byte) 0xff;
                    }
                    return new Rgba(imageWidth, imageHeight, pixels);
                } finally {
                    gFree.call(arena).pointer(data).invokeVoid();
                }
            }
        });
    }

    /** An 8-bit image of {@code bands} bands (1–4) made from pixels laid out row by row (priming's synthetic pictures). */
    Image fromPixels(byte[] pixels, int imageWidth, int imageHeight, int imageBands) throws Failure {
        if ((long) imageWidth * imageHeight * imageBands != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " bytes are not " + imageWidth + "x" + imageHeight + "x" + imageBands);
        }
        return inArena(arena -> {
            MemorySegment data = arena.allocate(pixels.length);
            MemorySegment.copy(pixels, 0, data, JAVA_BYTE, 0, pixels.length);
            MemorySegment image = newFromMemory.call(arena).pointer(data).size(pixels.length).integer(imageWidth)
                    .integer(imageHeight).integer(imageBands).integer(FORMAT_UCHAR).invokePointer();
            if (image.equals(MemorySegment.NULL)) {
                throw new Failure(takeError(arena));
            }
            return new Image(image);
        });
    }

    /**
     * A decoded HEIF's pixels (8-bit, rows packed) with its ICC profile, as an uncompressed TIFF in native memory: the
     * rest of the pipeline reads it as it reads any upload (colour-managed from that profile, no orientation tag, no
     * other metadata), so a HEIC's variants are made exactly as a JPEG's are.
     */
    NativeBytes losslessCopy(Libheif.Picture picture) throws Failure {
        return inArena(arena -> {
            MemorySegment image = newFromMemory.call(arena).pointer(picture.pixels()).size(picture.pixels().byteSize())
                    .integer(picture.width()).integer(picture.height()).integer(picture.bands()).integer(FORMAT_UCHAR).invokePointer();
            if (image.equals(MemorySegment.NULL)) {
                throw new Failure(takeError(arena));
            }
            try (Image pixels = new Image(image)) {
                byte[] icc = picture.iccProfile();
                if (icc.length > 0) {
                    MemorySegment profile = arena.allocate(icc.length);
                    MemorySegment.copy(icc, 0, profile, JAVA_BYTE, 0, icc.length);
                    setBlobCopy.call(arena).pointer(image).pointer(arena.allocateFrom("icc-profile-data")).pointer(profile)
                            .size(icc.length).invokeVoid();
                }
                MemorySegment buffer = arena.allocate(ADDRESS);
                MemorySegment length = arena.allocate(JAVA_LONG);
                int status = tiffSave.call(arena).pointer(pixels.pointer).pointer(buffer).pointer(length)
                        .option(KEEP.of(KEEP_ICC)).option(COMPRESSION.of(TIFF_COMPRESSION_NONE)).invokeInt();
                if (status != 0) {
                    throw new Failure(takeError(arena));
                }
                MemorySegment bytes = buffer.get(ADDRESS, 0);
                try {
                    return NativeBytes.copyOf(bytes.reinterpret(length.get(JAVA_LONG, 0)));
                } finally {
                    gFree.call(arena).pointer(bytes).invokeVoid();
                }
            }
        });
    }

    /** The image encoded as {@code encoding} says. */
    byte[] save(Image image, EncoderPolicy.Encoding encoding) throws Failure {
        return inArena(arena -> {
            MemorySegment buffer = arena.allocate(ADDRESS);
            MemorySegment length = arena.allocate(JAVA_LONG);
            int status = savers.get(encoding.format()).call(arena).pointer(image.pointer).pointer(buffer).pointer(length)
                    .options(encoding.options()).invokeInt();
            if (status != 0) {
                throw new Failure(takeError(arena));
            }
            MemorySegment bytes = buffer.get(ADDRESS, 0);
            try {
                return bytes.reinterpret(length.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
            } finally {
                gFree.call(arena).pointer(bytes).invokeVoid();
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

    private double opaque(Arena arena, Image image) throws Throwable {
        return maxAlpha.call(arena).integer(interpretation.call(arena).pointer(image.pointer).invokeInt()).invokeDouble();
    }

    private Image inMemory(Arena arena, int status, MemorySegment out) throws Throwable {
        try (Image lazy = owned(arena, status, out)) {
            MemorySegment copy = copyMemory.call(arena).pointer(lazy.pointer).invokePointer();
            if (copy.equals(MemorySegment.NULL)) {
                throw new Failure(takeError(arena));
            }
            return new Image(copy);
        }
    }

    private Image owned(Arena arena, int status, MemorySegment out) throws Throwable {
        if (status != 0) {
            throw new Failure(takeError(arena));
        }
        return new Image(out.get(ADDRESS, 0));
    }

    private String takeError(Arena arena) throws Throwable {
        String text = errorBuffer.call(arena).invokePointer().reinterpret(Integer.MAX_VALUE).getString(0).strip();
        errorClear.call(arena).invokeVoid();
        return text.isEmpty() ? "libvips gave no reason" : text;
    }

    private static int property(VipsFunction getter, MemorySegment image) {
        try (Arena arena = Arena.ofConfined()) {
            return getter.call(arena).pointer(image).invokeInt();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
