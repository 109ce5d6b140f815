package dev.mediagate.imaging;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.mediagate.core.config.Settings;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * libvips as the resizer runs it: the shared library found (the layer's, or {@code LIBVIPS_PATH}), checked to be the
 * pinned version, started once per process with as many worker threads as the function has vCPUs. The only part of
 * the engine that knows about Lambda; {@link VipsOperations} holds the calls, {@link EncoderPolicy} the encoder choices.
 */
public final class Libvips {

    /** The libvips the layer ships (sharp-libvips 1.3.4, pinned in {@code layers/libvips/sharp-libvips.properties}). */
    public static final String PINNED_VERSION = "8.18.7";
    /** Where the resizer's layer puts libvips in Lambda ({@code /opt} is the layers' root). */
    public static final String LAYER_LIBRARY = "/opt/lib/libvips-cpp.so." + PINNED_VERSION;
    /** Memory Lambda gives one full vCPU for. */
    private static final double MEGABYTES_PER_VCPU = 1769;
    /** {@code GParamSpec}'s public head (GLib's ABI): what {@code vips_object_get_argument} describes an argument with. */
    private static final StructLayout PARAM_SPEC = MemoryLayout.structLayout(ADDRESS.withName("g_class"),
            ADDRESS.withName("name"), JAVA_INT.withName("flags"), MemoryLayout.paddingLayout(4), JAVA_LONG.withName("value_type"));

    private static Libvips loaded;

    private final Path path;
    private final SymbolLookup library;
    private final int concurrency;
    private final VipsOperations operations;

    private Libvips(Path path, int concurrency) {
        this.path = path;
        this.library = SymbolLookup.libraryLookup(path, Arena.global());
        this.concurrency = concurrency;
        try (Arena arena = Arena.ofConfined()) {
            requirePinned(version(), path);
            // A hostile file makes libvips print a warning per tile on stderr; its error is what the manifest records.
            int ignored = VipsFunction.plain(this, "g_setenv", Optional.of(JAVA_INT), ADDRESS, ADDRESS, JAVA_INT).call(arena)
                    .pointer(arena.allocateFrom("VIPS_WARNING")).pointer(arena.allocateFrom("0")).integer(1).invokeInt();
            if (VipsFunction.plain(this, "vips_init", Optional.of(JAVA_INT), ADDRESS).call(arena)
                    .pointer(arena.allocateFrom("mediagate")).invokeInt() != 0) {
                throw new IllegalStateException("libvips failed to start");
            }
            VipsFunction.plain(this, "vips_concurrency_set", Optional.empty(), JAVA_INT).call(arena).integer(concurrency).invokeVoid();
            // Every upload is new bytes: an operation cache would only hold memory.
            VipsFunction.plain(this, "vips_cache_set_max", Optional.empty(), JAVA_INT).call(arena).integer(0).invokeVoid();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        this.operations = new VipsOperations(this);
        operations.functions().forEach(this::verifyOptions);
    }

    /**
     * libvips as configured: {@code LIBVIPS_PATH} (the layer's by default), and as many worker threads per image as
     * the function has vCPUs for its memory ({@code VIPS_CONCURRENCY} overrides), not as many as the host's cores.
     */
    public static Libvips from(Settings settings) {
        long memory = settings.longInRange("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", 1769, 128, 10_240);
        long vcpus = Math.max(1, Math.round(memory / MEGABYTES_PER_VCPU));
        return load(Path.of(settings.string("LIBVIPS_PATH", LAYER_LIBRARY)),
                (int) settings.longInRange("VIPS_CONCURRENCY", vcpus, 1, 64));
    }

    /**
     * libvips from this shared library, started once per process with {@code concurrency} worker threads per image.
     * Later calls return the same instance (libvips itself is per process).
     */
    public static synchronized Libvips load(Path path, int concurrency) {
        if (loaded == null) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("libvips is not at " + path + " (the resizer's layer, or LIBVIPS_PATH)");
            }
            loaded = new Libvips(path, concurrency);
        }
        return loaded;
    }

    public Path path() {
        return path;
    }

    /** Worker threads per image. */
    public int concurrency() {
        return concurrency;
    }

    VipsOperations operations() {
        return operations;
    }

    MemorySegment symbol(String name) {
        return library.find(name).orElseThrow(() -> new IllegalStateException("libvips at " + path + " has no " + name));
    }

    /** Refuses any libvips but the pinned one: the variants' bytes (and the manifests' recipe) depend on it. */
    static void requirePinned(String version, Path path) {
        if (!version.equals(PINNED_VERSION)) {
            throw new IllegalStateException("libvips at " + path + " is " + version + ", not the pinned " + PINNED_VERSION
                    + " (the resizer's layer, or LIBVIPS_PATH)");
        }
    }

    private String version() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            VipsFunction version = VipsFunction.plain(this, "vips_version", Optional.of(JAVA_INT), JAVA_INT);
            return version.call(arena).integer(0).invokeInt() + "." + version.call(arena).integer(1).invokeInt() + "."
                    + version.call(arena).integer(2).invokeInt();
        }
    }

    /**
     * Every option a function declares is an argument of its libvips operation, of a type passed as the option says:
     * asked of libvips itself ({@code vips_object_get_argument} on a new operation), once at load.
     */
    void verifyOptions(VipsFunction function) {
        if (function.operation().isEmpty() || function.options().isEmpty()) {
            return;
        }
        String operation = function.operation().get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment instance = VipsFunction.plain(this, "vips_operation_new", Optional.of(ADDRESS), ADDRESS).call(arena)
                    .pointer(arena.allocateFrom(operation)).invokePointer();
            if (instance.equals(MemorySegment.NULL)) {
                clearError(arena);
                throw new IllegalStateException("libvips " + PINNED_VERSION + " has no operation " + operation + " (for " + function.symbol() + ")");
            }
            try {
                VipsFunction argument = VipsFunction.plain(this, "vips_object_get_argument", Optional.of(JAVA_INT),
                        ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
                VipsFunction fundamental = VipsFunction.plain(this, "g_type_fundamental", Optional.of(JAVA_LONG), JAVA_LONG);
                for (VipsOption<?> option : function.options()) {
                    MemorySegment spec = arena.allocate(ADDRESS);
                    int found = argument.call(arena).pointer(instance).pointer(arena.allocateFrom(option.name())).pointer(spec)
                            .pointer(arena.allocate(ADDRESS)).pointer(arena.allocate(ADDRESS)).invokeInt();
                    if (found != 0) {
                        clearError(arena);
                        throw new IllegalStateException("libvips' " + operation + " has no argument " + option.name()
                                + " (declared for " + function.symbol() + ")");
                    }
                    long valueType = spec.get(ADDRESS, 0).reinterpret(PARAM_SPEC.byteSize())
                            .get(JAVA_LONG, PARAM_SPEC.byteOffset(MemoryLayout.PathElement.groupElement("value_type")));
                    long type = fundamental.call(arena).size(valueType).invokeLong();
                    if (!option.kind().fundamentalTypes.contains(type)) {
                        throw new IllegalStateException("libvips' " + operation + " takes " + option.name() + " as GType " + type
                                + ", which is not passed as " + option.kind() + " (declared for " + function.symbol() + ")");
                    }
                }
            } finally {
                VipsFunction.plain(this, "g_object_unref", Optional.empty(), ADDRESS).call(arena).pointer(instance).invokeVoid();
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private void clearError(Arena arena) throws Throwable {
        VipsFunction.plain(this, "vips_error_clear", Optional.empty()).call(arena).invokeVoid();
    }
}
