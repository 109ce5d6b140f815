package dev.mediagate.imaging;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One C function of libvips, declared once: its result, its fixed parameters and, for libvips' variadic operations,
 * the name/value options it accepts (then the {@code NULL} that ends them). A {@link Call} appends each argument and its
 * native layout together, so the descriptor a call is linked with is built from that call's own arguments and cannot
 * drift from them; a fixed argument of the wrong kind, a missing one, or an option the function does not declare is an
 * {@link IllegalArgumentException} before anything native runs. Downcall handles are made once per shape of options.
 */
final class VipsFunction {

    private static final Linker LINKER = Linker.nativeLinker();

    private final String symbol;
    private final MemorySegment address;
    private final Optional<String> operation;
    private final Optional<MemoryLayout> result;
    private final List<MemoryLayout> fixed;
    private final Map<String, VipsOption<?>> options;
    private final boolean variadic;
    private final Map<List<MemoryLayout>, MethodHandle> handles = new ConcurrentHashMap<>();

    private VipsFunction(String symbol, MemorySegment address, Optional<String> operation, Optional<MemoryLayout> result,
            List<MemoryLayout> fixed, List<VipsOption<?>> options, boolean variadic) {
        this.symbol = symbol;
        this.address = address;
        this.operation = operation;
        this.result = result;
        this.fixed = List.copyOf(fixed);
        Map<String, VipsOption<?>> byName = new LinkedHashMap<>();
        options.forEach(option -> byName.put(option.name(), option));
        this.options = Map.copyOf(byName);
        this.variadic = variadic;
    }

    /** A plain C function: {@code result symbol(fixed...)}; {@code result} empty for void. */
    static VipsFunction plain(Libvips library, String symbol, Optional<MemoryLayout> result, MemoryLayout... fixed) {
        return new VipsFunction(symbol, library.symbol(symbol), Optional.empty(), result, List.of(fixed), List.of(), false);
    }

    /**
     * A libvips operation's C wrapper: {@code int symbol(fixed..., name, value, ..., NULL)}, whose options are those of
     * the operation libvips knows as {@code operation} (checked against it by {@link Libvips}).
     */
    static VipsFunction variadic(Libvips library, String symbol, String operation, MemoryLayout result, List<MemoryLayout> fixed,
            VipsOption<?>... options) {
        return new VipsFunction(symbol, library.symbol(symbol), Optional.of(operation), Optional.of(result), fixed,
                List.of(options), true);
    }

    String symbol() {
        return symbol;
    }

    /** The libvips operation whose arguments this function's options are, when it takes any. */
    Optional<String> operation() {
        return operation;
    }

    List<VipsOption<?>> options() {
        return List.copyOf(options.values());
    }

    /** A call of this function; strings and out-parameters it needs are allocated in {@code arena}. */
    Call call(Arena arena) {
        return new Call(arena);
    }

    /** The arguments of one call, each appended with its layout. */
    final class Call {
        private final Arena arena;
        private final List<MemoryLayout> layouts = new ArrayList<>();
        private final List<Object> values = new ArrayList<>();
        private int optionCount;

        private Call(Arena arena) {
            this.arena = arena;
        }

        Call pointer(MemorySegment value) {
            return fixedArgument(ADDRESS, value, "a pointer");
        }

        Call integer(int value) {
            return fixedArgument(JAVA_INT, value, "an int");
        }

        Call size(long value) {
            return fixedArgument(JAVA_LONG, value, "a size_t");
        }

        Call real(double value) {
            return fixedArgument(JAVA_DOUBLE, value, "a double");
        }

        /** An option with its value (after every fixed argument). */
        <T> Call option(VipsOption.Value<T> value) {
            VipsOption<T> option = value.option();
            if (!option.equals(options.get(option.name()))) {
                throw new IllegalArgumentException(symbol + " declares no option " + option);
            }
            if (layouts.size() - 2 * optionCount != fixed.size()) {
                throw new IllegalArgumentException(symbol + ": option " + option.name() + " before its " + fixed.size() + " fixed arguments");
            }
            Object nativeValue = switch (option.kind()) {
                case INT -> value.value() instanceof Boolean b ? (b ? 1 : 0) : value.value();
                case DOUBLE, BOXED -> value.value();
                case STRING -> arena.allocateFrom((String) value.value());
            };
            optionCount++;
            layouts.add(ADDRESS);
            values.add(arena.allocateFrom(option.name()));
            layouts.add(option.kind().layout);
            values.add(nativeValue);
            return this;
        }

        Call options(List<VipsOption.Value<?>> given) {
            given.forEach(this::option);
            return this;
        }

        int invokeInt() throws Throwable {
            requireResult(JAVA_INT);
            return (int) invoke();
        }

        long invokeLong() throws Throwable {
            requireResult(JAVA_LONG);
            return (long) invoke();
        }

        double invokeDouble() throws Throwable {
            requireResult(JAVA_DOUBLE);
            return (double) invoke();
        }

        MemorySegment invokePointer() throws Throwable {
            requireResult(ADDRESS);
            return (MemorySegment) invoke();
        }

        void invokeVoid() throws Throwable {
            if (result.isPresent()) {
                throw new IllegalArgumentException(symbol + " returns " + result.get() + ", not void");
            }
            invoke();
        }

        private void requireResult(MemoryLayout expected) {
            if (result.isEmpty() || !result.get().withoutName().equals(expected.withoutName())) {
                throw new IllegalArgumentException(symbol + " returns " + result.map(Object::toString).orElse("void") + ", not " + expected);
            }
        }

        private Object invoke() throws Throwable {
            if (layouts.size() - 2 * optionCount != fixed.size()) {
                throw new IllegalArgumentException(symbol + " takes " + fixed.size() + " fixed arguments, given " + (layouts.size() - 2 * optionCount));
            }
            List<MemoryLayout> shape = new ArrayList<>(layouts);
            List<Object> arguments = new ArrayList<>(values);
            if (variadic) {
                shape.add(ADDRESS);
                arguments.add(MemorySegment.NULL);
            }
            return handles.computeIfAbsent(List.copyOf(shape), this::link).invokeWithArguments(arguments);
        }

        private MethodHandle link(List<MemoryLayout> shape) {
            MemoryLayout[] arguments = shape.toArray(MemoryLayout[]::new);
            FunctionDescriptor descriptor = result.map(r -> FunctionDescriptor.of(r, arguments))
                    .orElseGet(() -> FunctionDescriptor.ofVoid(arguments));
            return variadic ? LINKER.downcallHandle(address, descriptor, Linker.Option.firstVariadicArg(fixed.size()))
                    : LINKER.downcallHandle(address, descriptor);
        }

        private Call fixedArgument(MemoryLayout layout, Object value, String what) {
            int index = layouts.size();
            if (optionCount > 0 || index >= fixed.size()) {
                throw new IllegalArgumentException(symbol + " takes " + fixed.size() + " fixed arguments, not " + (index + 1));
            }
            if (!fixed.get(index).withoutName().equals(layout.withoutName())) {
                throw new IllegalArgumentException(symbol + "'s argument " + (index + 1) + " is " + fixed.get(index) + ", not " + what);
            }
            layouts.add(fixed.get(index));
            values.add(value);
            return this;
        }
    }
}
