package dev.mediagate.imaging;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * A named optional argument of a libvips operation ({@code "Q"}, {@code "keep"}, …), typed by how C's variadic call
 * passes its value. The type decides the native layout of the value, so a call's descriptor is always built from the
 * options it is actually given; {@link Libvips} checks every declared option against libvips' own description of the
 * operation when it loads, so a misspelt name or a wrong type is an exception at init, never a misread stack.
 */
record VipsOption<T>(String name, Kind kind, Class<T> javaType) {

    /** GLib's fundamental types ({@code G_TYPE_*}: number << 2), as libvips' introspection reports them. */
    static final long G_TYPE_BOOLEAN = 5 << 2;
    static final long G_TYPE_INT = 6 << 2;
    static final long G_TYPE_ENUM = 12 << 2;
    static final long G_TYPE_FLAGS = 13 << 2;
    static final long G_TYPE_DOUBLE = 15 << 2;
    static final long G_TYPE_STRING = 16 << 2;
    static final long G_TYPE_BOXED = 18 << 2;

    /** How a value travels through {@code ...}: gint (also gboolean, enums, flags), double, or a pointer. */
    enum Kind {
        INT(JAVA_INT, Set.of(G_TYPE_BOOLEAN, G_TYPE_INT, G_TYPE_ENUM, G_TYPE_FLAGS)),
        DOUBLE(JAVA_DOUBLE, Set.of(G_TYPE_DOUBLE)),
        STRING(ADDRESS, Set.of(G_TYPE_STRING)),
        BOXED(ADDRESS, Set.of(G_TYPE_BOXED));

        final MemoryLayout layout;
        final Set<Long> fundamentalTypes;

        Kind(MemoryLayout layout, Set<Long> fundamentalTypes) {
            this.layout = layout;
            this.fundamentalTypes = fundamentalTypes;
        }
    }

    static VipsOption<Integer> integer(String name) {
        return new VipsOption<>(name, Kind.INT, Integer.class);
    }

    static VipsOption<Boolean> bool(String name) {
        return new VipsOption<>(name, Kind.INT, Boolean.class);
    }

    static VipsOption<Double> real(String name) {
        return new VipsOption<>(name, Kind.DOUBLE, Double.class);
    }

    static VipsOption<String> string(String name) {
        return new VipsOption<>(name, Kind.STRING, String.class);
    }

    /** A pointer to a boxed GLib value (a {@code VipsArrayDouble}, …) that the caller owns. */
    static VipsOption<MemorySegment> boxed(String name) {
        return new VipsOption<>(name, Kind.BOXED, MemorySegment.class);
    }

    /** This option with a value, ready to be passed to an operation that declares it. */
    Value<T> of(T value) {
        return new Value<>(this, javaType.cast(value));
    }

    /** An option and its value. */
    record Value<T>(VipsOption<T> option, T value) {
    }
}
