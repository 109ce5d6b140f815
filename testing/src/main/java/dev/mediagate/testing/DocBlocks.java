package dev.mediagate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the tests read from the documentation, as a person would copy it: the README and every page under
 * {@code docs/}. A block a test runs is marked by a comment line {@code <!-- test: NAME -->} right before its fenced
 * code block, so prose and sections can move (even to another page) without a test losing its block.
 */
public final class DocBlocks {

    private DocBlocks() {
    }

    /** {@code README.md}, then every Markdown page under {@code docs/} in path order. */
    public static List<Path> pages(Path root) {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** The contents of every fenced block marked {@code <!-- test: NAME -->}, in page order then document order. */
    public static List<String> marked(Path root, String name) {
        String marker = "<!-- test: " + name + " -->";
        List<String> blocks = new ArrayList<>();
        for (Path page : pages(root)) {
            List<String> lines = lines(page);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).strip().equals(marker)) {
                    continue;
                }
                if (i + 1 >= lines.size() || !lines.get(i + 1).startsWith("```")) {
                    throw new IllegalStateException(page + ":" + (i + 1) + ": " + marker + " must stand right before a fenced code block");
                }
                StringBuilder block = new StringBuilder();
                int j = i + 2;
                for (; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
                    block.append(lines.get(j)).append('\n');
                }
                if (j == lines.size()) {
                    throw new IllegalStateException(page + ":" + (i + 2) + ": the block after " + marker + " is never closed");
                }
                blocks.add(block.toString());
            }
        }
        return blocks;
    }

    /** The one block marked {@code <!-- test: NAME -->} in the whole documentation. */
    public static String single(Path root, String name) {
        List<String> blocks = marked(root, name);
        if (blocks.size() != 1) {
            throw new IllegalStateException("expected one block marked <!-- test: " + name + " --> in README.md and docs/, found "
                    + blocks.size());
        }
        return blocks.get(0);
    }

    /** The lines of every fenced code block of every page (the README and docs/), in page order. */
    public static List<String> codeLines(Path root) {
        List<String> code = new ArrayList<>();
        for (Path page : pages(root)) {
            boolean inCode = false;
            for (String line : lines(page)) {
                if (line.startsWith("```")) {
                    inCode = !inCode;
                } else if (inCode) {
                    code.add(line);
                }
            }
        }
        return code;
    }

    private static List<String> lines(Path page) {
        try {
            return Files.readAllLines(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
