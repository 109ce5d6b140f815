package dev.mediagate.bench.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** From main to the first log line written, as a function's init logs its first line: whichever SLF4J backend is on the classpath. */
public final class FirstLogLine {

    private FirstLogLine() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        Logger log = LoggerFactory.getLogger("dev.mediagate.resizer.ImageResizerHandler");
        log.atInfo().addKeyValue("key", "originals/owner/file").log("processed {}", "ready");
        System.err.printf("first-log-line=%.1f ms%n", (System.nanoTime() - start) / 1e6);
    }
}
