package dev.mediagate.local;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** One line per request or event on standard output. */
public final class LocalLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private LocalLog() {
    }

    public static void line(String part, String message) {
        System.out.println(LocalTime.now().format(TIME) + " [" + part + "] " + message);
    }
}
