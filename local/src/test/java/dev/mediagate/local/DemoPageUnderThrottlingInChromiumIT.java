package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.testing.Images;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page against a stack whose HTTP API throttles as the template's route settings say, with limits set low at
 * start ({@code --parameter-overrides}, as a deploy would): one upload a second (a burst of one) and two status reads a
 * second. Six images chosen at once meet {@code 429}s on {@code POST /uploads} and on the polling, retry them with
 * jittered backoff, and all end ready; each file's polling slows down as it goes. The stack's own throttle answers as
 * API Gateway does: {@code {"message":"Too Many Requests"}}, no {@code Retry-After}.
 */
class DemoPageUnderThrottlingInChromiumIT {

    private static final int FILES = 6;
    /** Records every API call the page makes (method, path, status, start and end), before the page's own modules run. */
    private static final String RECORD_FETCHES = """
            window.__calls = [];
            const original = window.fetch.bind(window);
            window.fetch = async (input, init) => {
              const started = performance.now();
              const url = new URL(typeof input === "string" ? input : input.url, location.href);
              const response = await original(input, init);
              window.__calls.push({ method: (init && init.method) || "GET", path: url.pathname, status: response.status,
                started, ended: performance.now() });
              return response;
            };
            """;

    private static LocalStack stack;
    private static Path data;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("mediagate-throttled");
        stack = LocalStack.start(new LocalStack.Options(data, 0, 0, 0, Checkout.ROOT.resolve("template.yaml"))
                .withParameter("ApiUploadRateLimit", "1").withParameter("ApiUploadBurstLimit", "1")
                .withParameter("ApiStatusRateLimit", "2").withParameter("ApiStatusBurstLimit", "2"), Duration.ofMillis(200));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void sixImagesChosenAtOnceAllEndReadyThroughThe429sAndEachFilesPollingBacksOff() throws Exception {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            Path image = data.resolve("photo-" + i + ".jpg");
            Files.write(image, Images.jpeg(Images.quadrants(900 + 40 * i, 700)));
            paths.add(image.toString());
        }
        ChromeDriver browser = HeadlessChromium.start(data);
        try {
            browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_FETCHES));
            browser.get(stack.apiUrl() + "/");
            String user = "throttled-" + System.nanoTime();
            browser.findElement(By.id("user")).clear();
            browser.findElement(By.id("user")).sendKeys(user);
            browser.findElement(By.cssSelector("#sign-in button")).click();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(driver -> driver.findElement(By.id("who")).getText().contains(user));

            browser.findElement(By.id("files")).sendKeys(String.join("\n", paths));

            new WebDriverWait(browser, Duration.ofSeconds(150)).until(driver ->
                    driver.findElements(By.cssSelector("#uploads li[data-state=ready]")).size() == FILES
                            || !driver.findElements(By.cssSelector("#uploads li[data-state=failed]")).isEmpty());
            assertThat(browser.findElements(By.cssSelector("#uploads li")))
                    .extracting(row -> row.getDomAttribute("data-state") + " " + row.getText())
                    .allSatisfy(state -> assertThat(state).startsWith("ready"));
            wait.until(driver -> (Boolean) ((JavascriptExecutor) driver).executeScript(
                    "const images = [...document.querySelectorAll('#gallery img')];"
                            + "return images.length === " + FILES + " && images.every(i => i.complete && i.naturalWidth > 0);"));

            List<Map<String, Object>> calls = (List<Map<String, Object>>) browser.executeScript("return window.__calls;");
            List<Map<String, Object>> uploads = calls.stream().filter(call -> "POST".equals(call.get("method"))
                    && "/uploads".equals(call.get("path"))).toList();
            assertThat(uploads).as("every POST /uploads refused for the burst of one was sent again until created")
                    .extracting(call -> ((Number) call.get("status")).intValue())
                    .contains(429).filteredOn(status -> status == 201).hasSize(FILES);
            Map<String, List<Map<String, Object>>> polls = new LinkedHashMap<>();
            calls.stream().filter(call -> "GET".equals(call.get("method")) && String.valueOf(call.get("path")).startsWith("/files/"))
                    .forEach(call -> polls.computeIfAbsent(String.valueOf(call.get("path")), path -> new ArrayList<>()).add(call));
            assertThat(polls).hasSize(FILES);
            // Whether the status reads also meet their throttle, and how often a file is read before it is ready,
            // depend on how fast this machine makes the variants: a refused read must not end a file's polling, and
            // each file's pauses must not shrink. That the pauses grow is the client's unit test (client.test.js).
            polls.forEach((path, reads) -> assertThat(reads.getLast().get("status")).as("%s's last read", path)
                    .isEqualTo(200L));
            polls.forEach((path, reads) -> assertThat(pausesAfterAnswers(reads)).as("pauses between %s's reads", path)
                    .isSortedAccordingTo((a, b) -> a > b + 250 ? 1 : 0));
            List<LogEntry> errors = HeadlessChromium.consoleErrors(browser);
            assertThat(errors).as("the console's errors are the throttled calls' and nothing else")
                    .allSatisfy(entry -> assertThat(entry.getMessage()).contains("429"));
        } finally {
            browser.quit();
        }

        StackClient client = new StackClient(stack);
        String token = client.token("throttled-http");
        Thread.sleep(1_100);
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            answers.add(client.send(client.post("/uploads", token, "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":10}")));
        }
        assertThat(answers.getFirst().statusCode()).isEqualTo(201);
        HttpResponse<String> throttled = answers.getLast();
        assertThat(throttled.statusCode()).isEqualTo(429);
        JsonNode body = StackClient.JSON.readTree(throttled.body());
        assertThat(body.properties()).hasSize(1);
        assertThat(body.get("message").asText()).isEqualTo("Too Many Requests");
        assertThat(throttled.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(throttled.headers().firstValue("Retry-After")).as("API Gateway names no time to wait").isEmpty();
    }

    /** For one file's reads: the time from each answered read (not a 429) to the next read, in ms. */
    private static List<Double> pausesAfterAnswers(List<Map<String, Object>> reads) {
        List<Double> pauses = new ArrayList<>();
        IntStream.range(0, reads.size() - 1).forEach(i -> {
            if (((Number) reads.get(i).get("status")).intValue() == 200) {
                pauses.add(((Number) reads.get(i + 1).get("started")).doubleValue() - ((Number) reads.get(i).get("ended")).doubleValue());
            }
        });
        return pauses;
    }
}
