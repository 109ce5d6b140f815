package dev.mediagate.local.lambda;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One instance of a function in a JVM of its own, as Lambda runs every instance: used for functions with native code
 * (their layers), so that a crash inside it ends this process and that invocation, never the local stack. The parent
 * sends each event as a length-prefixed frame on stdin and reads back a status byte and a length-prefixed result on
 * the original stdout; everything the function prints goes to stderr, the stack's log.
 */
public final class FunctionProcess {

    private static final byte OK = 0;
    private static final byte FAILED = 1;

    private FunctionProcess() {
    }

    /**
     * Arguments: the function's logical id, handler class, timeout (s) and memory (MB). The function's settings arrive
     * as its environment variables, as in Lambda (and as system properties too, for the SDK's own and test hooks).
     */
    public static void main(String[] args) throws IOException {
        DataOutputStream replies = new DataOutputStream(new FileOutputStream(FileDescriptor.out));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        DataInputStream events = new DataInputStream(System.in);
        Object handler;
        try {
            handler = HandlerCalls.construct(args[0], args[1]);
        } catch (RuntimeException | Error e) {
            // Lambda's init error: what stops the function goes to the parent, which says it on one line.
            byte[] reason = e.getMessage() == null ? String.valueOf(e).getBytes(StandardCharsets.UTF_8)
                    : e.getMessage().getBytes(StandardCharsets.UTF_8);
            replies.writeByte(FAILED);
            replies.writeInt(reason.length);
            replies.write(reason);
            replies.flush();
            System.exit(1);
            return;
        }
        replies.writeByte(OK);
        replies.flush();
        while (true) {
            byte[] event;
            try {
                event = new byte[events.readInt()];
                events.readFully(event);
            } catch (EOFException closed) {
                return;
            }
            byte status = OK;
            byte[] result;
            try {
                result = HandlerCalls.invoke(handler, event,
                        LocalContext.start(args[0], Integer.parseInt(args[2]), Integer.parseInt(args[3])));
            } catch (RuntimeException e) {
                status = FAILED;
                result = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
            }
            replies.writeByte(status);
            replies.writeInt(result.length);
            replies.write(result);
            replies.flush();
        }
    }

    /** The parent's side: one child JVM, started with the function's settings, that takes one event at a time. */
    static final class Child implements AutoCloseable {
        private final String logicalId;
        private final int timeoutSeconds;
        private final Process process;
        private final DataOutputStream events;
        private final DataInputStream replies;

        Child(String logicalId, String handlerClass, int timeoutSeconds, int memoryMb, Map<String, String> settings) {
            this.logicalId = logicalId;
            this.timeoutSeconds = timeoutSeconds;
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED"));
            settings.forEach((name, value) -> command.add("-D" + name + "=" + value));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), FunctionProcess.class.getName(),
                    logicalId, handlerClass, Integer.toString(timeoutSeconds), Integer.toString(memoryMb)));
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
                builder.environment().putAll(settings);
                process = builder.start();
                events = new DataOutputStream(process.getOutputStream());
                replies = new DataInputStream(process.getInputStream());
                if (replies.readByte() != OK) {
                    byte[] reason = new byte[replies.readInt()];
                    replies.readFully(reason);
                    throw new IllegalStateException(new String(reason, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new IllegalStateException(logicalId + " failed to initialise: its process ended", e);
            }
        }

        boolean alive() {
            return process.isAlive();
        }

        /** One event through the function; past its {@code Timeout} the process is killed, as Lambda ends a timed-out one. */
        byte[] invoke(byte[] event) {
            java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
            Thread watchdog = Thread.ofVirtual().unstarted(() -> {
                try {
                    Thread.sleep(java.time.Duration.ofSeconds(timeoutSeconds));
                    timedOut.set(true);
                    process.destroyForcibly();
                } catch (InterruptedException finished) {
                    // the invocation ended in time
                }
            });
            watchdog.start();
            try {
                return exchange(event);
            } catch (UncheckedIOException e) {
                if (timedOut.get()) {
                    throw new IllegalStateException(logicalId + " timed out after " + timeoutSeconds + " seconds", e);
                }
                throw e;
            } finally {
                watchdog.interrupt();
            }
        }

        private byte[] exchange(byte[] event) {
            try {
                events.writeInt(event.length);
                events.write(event);
                events.flush();
                byte status = replies.readByte();
                byte[] result = new byte[replies.readInt()];
                replies.readFully(result);
                if (status != OK) {
                    throw new IllegalStateException(new String(result, StandardCharsets.UTF_8));
                }
                return result;
            } catch (IOException e) {
                process.destroyForcibly();
                throw new UncheckedIOException(logicalId + "'s process died during the invocation (exit "
                        + exitCode() + "): Lambda would report Runtime.ExitError", e);
            }
        }

        private String exitCode() {
            try {
                return Integer.toString(process.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "unknown";
            }
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
