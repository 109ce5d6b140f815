package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.testing.Documents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page's multipart uploads in headless Chromium: a part the network fails is retried until it goes through,
 * and an upload cut off by a page reload resumes from the parts S3 holds, sending only the rest. The network failures
 * are Chromium's own (DevTools request blocking), so the page sees what a dropped connection looks like to it.
 */
class DemoPageMultipartInChromiumIT {

    private static final int MIB = 1024 * 1024;
    private LocalStack stack;
    private StackClient client;
    private ChromeDriver browser;
    private WebDriverWait wait;
    private String user;

    @BeforeEach
    void openThePage() throws Exception {
        stack = RunningStack.get();
        client = new StackClient(stack);
        browser = HeadlessChromium.start(RunningStack.data());
        wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        user = "parts-" + System.nanoTime();
        browser.get(stack.apiUrl() + "/");
        signIn();
    }

    @AfterEach
    void close() {
        browser.quit();
    }

    @Test
    void aPartTheNetworkFailsIsRetriedAndTheUploadCompletes() throws Exception {
        Path file = document("slides.pdf", 40 * MIB);
        HeadlessChromium.failRequests(browser, partUrls(2));

        browser.findElement(By.id("files")).sendKeys(file.toString());
        wait.until(driver -> Integer.parseInt(row().getDomAttribute("data-retries") == null ? "0"
                : row().getDomAttribute("data-retries")) >= 1);
        HeadlessChromium.failRequests(browser, List.of());

        wait.until(driver -> "ready".equals(row().getDomAttribute("data-state")));
        assertThat(row().findElement(By.tagName("progress")).getDomProperty("value")).isEqualTo("100");
        assertThat(storedSha256(row().getDomAttribute("data-file-id"))).isEqualTo(sha256(file));
        assertThat(unexpectedConsoleErrors()).isEmpty();
    }

    @Test
    void anUploadCutOffByAReloadResumesAndSendsOnlyTheMissingParts() throws Exception {
        Path file = document("keynote.pdf", 40 * MIB);
        List<String> lastTwo = new ArrayList<>(partUrls(4));
        lastTwo.addAll(partUrls(5));
        HeadlessChromium.failRequests(browser, lastTwo);
        browser.findElement(By.id("files")).sendKeys(file.toString());
        wait.until(driver -> row().getDomAttribute("data-file-id") != null);
        String fileId = row().getDomAttribute("data-file-id");
        String uploadId = (String) browser.executeScript("return Object.values(JSON.parse(localStorage.getItem("
                + "'mediagate.resumable-uploads'))).find(e => e.fileId === arguments[0]).upload.uploadId", fileId);
        String token = client.token(user);
        wait.until(driver -> heldParts(fileId, uploadId, token) == 3);

        browser.navigate().refresh();
        HeadlessChromium.failRequests(browser, List.of());
        signIn();
        assertThat(browser.findElement(By.id("resumable")).getText()).contains("keynote.pdf");
        browser.findElement(By.id("files")).sendKeys(file.toString());

        wait.until(driver -> "ready".equals(row().getDomAttribute("data-state")));
        assertThat(row().getDomAttribute("data-resumed-parts")).isEqualTo("3");
        @SuppressWarnings("unchecked")
        List<String> partsSentAfterReload = (List<String>) browser.executeScript("return performance.getEntriesByType('resource')"
                + ".map(e => e.name).filter(n => n.includes('partNumber=')).map(n => new URL(n).searchParams.get('partNumber'))");
        assertThat(partsSentAfterReload).containsExactlyInAnyOrder("4", "5");
        assertThat(storedSha256(fileId)).isEqualTo(sha256(file));
        assertThat(browser.findElement(By.id("resumable")).getText()).isEmpty();
        assertThat(unexpectedConsoleErrors()).isEmpty();
    }

    @Test
    void theAbortButtonAbortsTheUploadAndForgetsIt() throws Exception {
        Path file = document("draft.pdf", 40 * MIB);
        HeadlessChromium.failRequests(browser, partUrls(5));
        browser.findElement(By.id("files")).sendKeys(file.toString());
        wait.until(driver -> row().getDomAttribute("data-file-id") != null);
        String fileId = row().getDomAttribute("data-file-id");
        String uploadId = (String) browser.executeScript("return Object.values(JSON.parse(localStorage.getItem("
                + "'mediagate.resumable-uploads'))).find(e => e.fileId === arguments[0]).upload.uploadId", fileId);

        browser.findElement(By.cssSelector("[aria-label='Abort the upload of draft.pdf']")).click();

        wait.until(driver -> "aborted".equals(row().getDomAttribute("data-state")));
        assertThat(client.send(client.get("/uploads/" + fileId + "/parts?uploadId="
                + java.net.URLEncoder.encode(uploadId, java.nio.charset.StandardCharsets.UTF_8), client.token(user))).statusCode())
                .isEqualTo(404);
        assertThat((Boolean) browser.executeScript("return localStorage.getItem('mediagate.resumable-uploads').includes(arguments[0])",
                fileId)).isFalse();
        assertThat(unexpectedConsoleErrors()).isEmpty();
    }

    private void signIn() {
        browser.findElement(By.id("user")).clear();
        browser.findElement(By.id("user")).sendKeys(user);
        browser.findElement(By.cssSelector("#sign-in button")).click();
        wait.until(driver -> driver.findElement(By.id("who")).getText().contains(user));
    }

    private org.openqa.selenium.WebElement row() {
        return browser.findElement(By.cssSelector("#uploads li"));
    }

    /** The presigned URLs of one part number, wherever the query string puts it. */
    private static List<String> partUrls(int partNumber) {
        return List.of("*partNumber=" + partNumber + "&*", "*&partNumber=" + partNumber);
    }

    private int heldParts(String fileId, String uploadId, String token) {
        try {
            JsonNode parts = client.json(client.send(client.get("/uploads/" + fileId + "/parts?uploadId="
                    + java.net.URLEncoder.encode(uploadId, java.nio.charset.StandardCharsets.UTF_8), token)));
            return parts.get("parts").size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Errors other than the requests this test made the network fail. */
    private List<String> unexpectedConsoleErrors() {
        return HeadlessChromium.consoleErrors(browser).stream().map(entry -> entry.getMessage())
                .filter(message -> !message.contains("ERR_BLOCKED_BY_CLIENT")).toList();
    }

    private String storedSha256(String fileId) throws Exception {
        String owner = client.json(client.send(client.get("/me", client.token(user)))).get("owner").asText();
        return Documents.sha256Hex(stack.s3Client().getObjectAsBytes(get -> get.bucket(stack.bucket())
                .key("originals/" + owner + "/" + fileId)).asByteArray());
    }

    private static Path document(String name, int size) throws Exception {
        Path file = RunningStack.data().resolve(name);
        Files.write(file, Documents.pdf(size));
        return file;
    }

    private static String sha256(Path file) throws Exception {
        return Documents.sha256Hex(Files.readAllBytes(file));
    }
}
