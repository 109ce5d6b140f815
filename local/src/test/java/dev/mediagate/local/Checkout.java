package dev.mediagate.local;

import java.nio.file.Path;

/** The repository the tests run in: template.yaml, events/, the docs (the build passes {@code mediagate.root}). */
public final class Checkout {

    public static final Path ROOT = Path.of(System.getProperty("mediagate.root", "..")).toAbsolutePath().normalize();

    private Checkout() {
    }
}
