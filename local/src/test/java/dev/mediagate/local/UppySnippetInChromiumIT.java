package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.testing.DocBlocks;
import dev.mediagate.testing.Documents;
import dev.mediagate.testing.RequiredTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Uppy 5.x snippet of docs/large-files.md, as written there, bundled with the real {@code @uppy/core} and {@code @uppy/aws-s3}
 * from npm (versions pinned in {@code src/test/uppy/package-lock.json}) and run in headless Chromium against the local
 * stack: a large file goes up in parts, one of which the network fails once, and a small one as a single PUT.
 */
class UppySnippetInChromiumIT {

    private static final Path HARNESS = Checkout.ROOT.resolve("local/target/uppy5-harness");
    private static String bundle;

    @BeforeAll
    static void bundleTheReadmeSnippet() throws Exception {
        Path npm = RequiredTools.require("npm", "npm (apt-get install npm)");
        Files.createDirectories(HARNESS);
        Path sources = Checkout.ROOT.resolve("local/src/test/uppy");
        for (String name : List.of("package.json", "package-lock.json", "entry.js")) {
            Files.copy(sources.resolve(name), HARNESS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(HARNESS.resolve("mediagate-uppy.js"), documentedSnippet());
        if (!Files.isDirectory(HARNESS.resolve("node_modules/@uppy/aws-s3"))) {
            run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"));
        }
        run(List.of(npm.toString(), "exec", "--offline", "--", "esbuild", "entry.js", "--bundle", "--format=iife",
                "--outfile=bundle.js", "--log-level=warning"));
        bundle = Files.readString(HARNESS.resolve("bundle.js"));
    }

    @Test
    void theReadmeSnippetUploadsALargeFileInPartsThroughAFailedPartAndASmallOneAsASinglePut() throws Exception {
        LocalStack stack = RunningStack.get();
        StackClient client = new StackClient(stack);
        String user = "uppy-" + System.nanoTime();
        String token = client.token(user);
        ChromeDriver browser = HeadlessChromium.start(RunningStack.data());
        try {
            browser.manage().timeouts().scriptTimeout(Duration.ofMinutes(2));
            browser.get(stack.apiUrl() + "/");
            browser.executeScript(bundle);
            HeadlessChromium.failRequests(browser, List.of("*partNumber=2&*", "*&partNumber=2"));

            browser.executeAsyncScript(START_UPLOADS, token);
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(driver ->
                    ((Number) browser.executeScript("return window.uppyParts.length")).intValue() == 4);
            HeadlessChromium.failRequests(browser, List.of());
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) browser.executeAsyncScript(
                    "window.uppyResult.then(arguments[arguments.length - 1])");

            assertThat((List<?>) result.get("failed")).isEmpty();
            @SuppressWarnings("unchecked")
            List<Map<String, String>> uploaded = (List<Map<String, String>>) result.get("successful");
            assertThat(uploaded).extracting(file -> file.get("name")).containsExactlyInAnyOrder("talk.pdf", "note.pdf");
            @SuppressWarnings("unchecked")
            List<Long> parts = (List<Long>) browser.executeScript("return window.uppyParts.slice().sort((a, b) => a - b)");
            assertThat(parts).containsExactly(1L, 2L, 3L, 4L, 5L);
            long partSignatures = (Long) browser.executeScript("return performance.getEntriesByType('resource')"
                    + ".filter(e => e.initiatorType === 'fetch' && e.name.endsWith('/parts')).length");
            assertThat(partSignatures).as("part 2 was signed again for its retry").isGreaterThanOrEqualTo(6);
            @SuppressWarnings("unchecked")
            Map<String, String> digests = (Map<String, String>) browser.executeScript("return window.uppyDigests");
            String owner = client.json(client.send(client.get("/me", token))).get("owner").asText();
            for (Map<String, String> file : uploaded) {
                String fileId = file.get("fileId");
                assertThat(client.waitUntilDone(fileId, token).get("status").asText()).isEqualTo("ready");
                byte[] stored = stack.s3Client().getObjectAsBytes(get -> get.bucket(stack.bucket())
                        .key("originals/" + owner + "/" + fileId)).asByteArray();
                assertThat(Documents.sha256Hex(stored)).isEqualTo(digests.get(file.get("name")));
            }
            assertThat(HeadlessChromium.consoleErrors(browser)).extracting(entry -> entry.getMessage())
                    .allMatch(message -> message.contains("ERR_BLOCKED_BY_CLIENT"));
        } finally {
            browser.quit();
        }
    }

    /** Two PDFs made in the page (40 MiB: five 8 MiB parts above the stack's 32 MiB threshold; 1 MiB: one PUT). */
    private static final String START_UPLOADS = """
            const token = arguments[0];
            const done = arguments[arguments.length - 1];
            const uppy = window.createUppy({ api: location.origin, getToken: async () => token });
            window.uppyParts = [];
            uppy.on("s3-multipart:part-uploaded", (file, part) => {
              if (file.name === "talk.pdf") { window.uppyParts.push(part.PartNumber); }
            });
            const make = (size) => {
              const bytes = new Uint8Array(size);
              for (let offset = 0; offset < size; offset += 65536) {
                crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
              }
              bytes.set(new TextEncoder().encode("%PDF-1.7\\n"));
              return bytes;
            };
            const hex = async (bytes) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
              .map((b) => b.toString(16).padStart(2, "0")).join("");
            (async () => {
              const talk = make(40 * 1024 * 1024);
              const note = make(1024 * 1024);
              window.uppyDigests = { "talk.pdf": await hex(talk), "note.pdf": await hex(note) };
              uppy.addFile({ name: "talk.pdf", type: "application/pdf", data: new Blob([talk], { type: "application/pdf" }) });
              uppy.addFile({ name: "note.pdf", type: "application/pdf", data: new Blob([note], { type: "application/pdf" }) });
              window.uppyResult = uppy.upload().then((result) => ({
                successful: result.successful.map((file) => ({ name: file.name, fileId: file.meta.fileId })),
                failed: result.failed.map((file) => ({ name: file.name, error: String(file.error) })),
              }));
              done(true);
            })();
            """;

    /** The block marked {@code <!-- test: uppy5-snippet -->} in the documentation (docs/large-files.md). */
    private static String documentedSnippet() {
        return DocBlocks.single(Checkout.ROOT, "uppy5-snippet");
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(HARNESS.toFile()).redirectErrorStream(true)
                .redirectOutput(HARNESS.resolve("npm.log").toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + Files.readString(HARNESS.resolve("npm.log")))
                .isZero();
    }
}
