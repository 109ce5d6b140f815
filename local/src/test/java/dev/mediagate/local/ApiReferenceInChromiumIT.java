package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The local stack serves {@code openapi.yaml} as built and a readable reference of it at {@code /docs}, rendered in
 * headless Chromium from files of the jar alone: every request the page makes stays on the stack's own origin.
 */
class ApiReferenceInChromiumIT {

    @Test
    void openapiYamlIsServedAsWritten() throws Exception {
        LocalStack stack = RunningStack.get();
        HttpResponse<String> served = new StackClient(stack).send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/openapi.yaml")).build());

        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
        assertThat(served.body()).isEqualTo(Files.readString(OpenApiDocument.PATH));
    }

    @Test
    void theReferenceRendersEveryOperationFromTheStacksOwnOrigin() throws Exception {
        LocalStack stack = RunningStack.get();
        ChromeDriver browser = HeadlessChromium.start(RunningStack.data());
        try {
            browser.get(stack.apiUrl() + "/docs");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(driver -> driver.findElements(By.cssSelector(".opblock-summary-description")).size() >= 27);

            List<String> summaries = browser.findElements(By.cssSelector(".opblock-summary-description")).stream()
                    .map(element -> element.getText()).toList();
            assertThat(summaries).contains("Ask for an upload URL", "Signed URLs for a page of files", "Open a share link");
            assertThat(browser.findElement(By.cssSelector(".info .title")).getText()).startsWith("mediagate");
            @SuppressWarnings("unchecked")
            List<String> requested = (List<String>) browser.executeScript(
                    "return performance.getEntriesByType('resource').map(entry => entry.name)");
            assertThat(requested).isNotEmpty().allMatch(url -> url.startsWith(stack.apiUrl() + "/") || url.startsWith("data:"));
            assertThat(HeadlessChromium.consoleErrors(browser)).as("the page's console").isEmpty();
            Path screenshots = Checkout.ROOT.resolve("local/target/screenshots");
            Files.createDirectories(screenshots);
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshots.resolve("api-reference.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
        }
    }
}
