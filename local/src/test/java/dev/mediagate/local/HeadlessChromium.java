package dev.mediagate.local;

import dev.mediagate.testing.RequiredTools;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/** Debian's headless Chromium driven by Selenium through Debian's chromedriver (no browser download), console kept. */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    static ChromeDriver start(Path workDir) throws Exception {
        File chromium = RequiredTools.require("chromium", "Debian's chromium (apt-get install chromium)").toFile();
        File chromedriver = RequiredTools.require("chromedriver", "Debian's chromium-driver (apt-get install chromium-driver)").toFile();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1200,900", "--user-data-dir=" + Files.createTempDirectory(workDir, "chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The console's errors so far. */
    static List<LogEntry> consoleErrors(ChromeDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    /** Makes the network fail every request whose URL matches one of these patterns ({@code *} wildcards); none to heal. */
    static void failRequests(ChromeDriver browser, List<String> urlPatterns) {
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", urlPatterns));
    }
}
