package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.testing.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page in Debian's headless Chromium (driven by Selenium through Debian's chromedriver, no browser download):
 * two images go through the real CORS preflight and presigned PUT, progress reaches 100 %, both thumbnails load from
 * the CDN edge with the CloudFront cookies. The screenshot is kept in {@code local/target/screenshots/}.
 */
class DemoPageUploadsInChromiumIT {

    static Path data;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = RunningStack.get();
        data = RunningStack.data();
    }

    @Test
    void uploadsTwoImagesShowsTheirThumbnailsPublishesOneAndAnotherUserSeesItByUrl() throws Exception {
        Path first = data.resolve("sunset.jpg");
        Path second = data.resolve("Été diagram.png");
        Files.write(first, Images.jpeg(Images.quadrants(1200, 900)));
        Files.write(second, Images.png(Images.quadrants(500, 700)));
        ChromeDriver browser = HeadlessChromium.start(data);
        try {
            browser.get(stack.apiUrl() + "/");
            browser.findElement(By.id("user")).clear();
            // Users of their own: other tests' files and events on the shared stack are not theirs.
            String alice = "demo-alice-" + System.nanoTime();
            String bob = "demo-bob-" + System.nanoTime();
            browser.findElement(By.id("user")).sendKeys(alice);
            browser.findElement(By.cssSelector("#sign-in button")).click();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(driver -> driver.findElement(By.id("who")).getText().contains(alice));

            browser.findElement(By.id("files")).sendKeys(first + "\n" + second);

            wait.until(driver -> driver.findElements(By.cssSelector("#uploads li[data-state=ready]")).size() == 2);
            wait.until(driver -> (Boolean) ((JavascriptExecutor) driver).executeScript(
                    "const images = [...document.querySelectorAll('#gallery img')];"
                            + "return images.length === 2 && images.every(i => i.complete && i.naturalWidth > 0);"));
            wait.until(driver -> driver.findElements(By.cssSelector("#events li[data-type='file.ready']")).size() == 2);
            List<WebElement> bars = browser.findElements(By.cssSelector("#uploads progress"));
            assertThat(bars).hasSize(2).allSatisfy(bar -> assertThat(bar.getDomProperty("value")).isEqualTo("100"));
            assertThat(browser.findElements(By.cssSelector("#gallery img"))).extracting(image -> image.getDomProperty("alt"))
                    .containsExactlyInAnyOrder("sunset.jpg", "Été diagram.png");
            assertThat(browser.findElements(By.cssSelector("#gallery img"))).as("the browser took the WebP alternates")
                    .extracting(image -> image.getDomProperty("currentSrc")).allMatch(url -> url.endsWith(".webp"));

            WebElement publish = browser.findElement(By.cssSelector("[aria-label='Make public: sunset.jpg']"));
            ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", publish);
            publish.click();
            wait.until(driver -> !driver.findElements(By.cssSelector("#gallery li[data-visibility=public] .public-url")).isEmpty());
            String publicUrl = browser.findElement(By.cssSelector("#gallery li[data-visibility=public] .public-url")).getDomProperty("value");
            assertThat(publicUrl).startsWith(stack.cdnUrl() + "/public/").doesNotContain("?");
            WebElement share = browser.findElement(By.cssSelector("[aria-label='Copy a share link to sunset.jpg']"));
            ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", share);
            share.click();
            wait.until(driver -> driver.findElement(By.id("share-link")).getDomProperty("value").startsWith(stack.apiUrl() + "/shared/"));

            browser.findElement(By.id("user")).clear();
            browser.findElement(By.id("user")).sendKeys(bob);
            browser.findElement(By.cssSelector("#sign-in button")).click();
            wait.until(driver -> driver.findElement(By.id("who")).getText().contains(bob));
            assertThat(browser.findElements(By.cssSelector("#gallery li"))).as("bob sees none of alice's files").isEmpty();
            assertThat(browser.findElements(By.cssSelector("#events li"))).as("nor any of alice's events").isEmpty();
            browser.findElement(By.id("public-url")).sendKeys(publicUrl);
            browser.findElement(By.cssSelector("#by-url button")).click();
            wait.until(driver -> driver.findElement(By.id("by-url-state")).getText().equals("loaded"));

            assertThat(HeadlessChromium.consoleErrors(browser)).as("the page's console").isEmpty();
            Path screenshots = Checkout.ROOT.resolve("local/target/screenshots");
            Files.createDirectories(screenshots);
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshots.resolve("demo-page.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
        }
    }
}
