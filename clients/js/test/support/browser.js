// Debian's Chromium (no browser download), driven by playwright-core, on a blank page of the stack's API origin (so
// the API needs no CORS), with the client bundled by esbuild as a page script, and Chromium's own request blocking
// and failing to play a dropped connection.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const CANDIDATES = [process.env.MEDIAGATE_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The Chromium to run, or why there is none: under CI=true a missing browser fails the test, elsewhere it skips it. */
export function chromiumOrSkip(t) {
  const executable = CANDIDATES.find((path) => path && existsSync(path));
  if (!executable) {
    const message = "Chromium is not installed (apt-get install chromium, or MEDIAGATE_CHROMIUM=/path/to/chrome)";
    if (process.env.CI === "true") throw new Error(message);
    t.skip(message);
  }
  return executable;
}

/** `@mediagate/client` as an app imports it: this package's build (a package cannot install itself). */
const THIS_PACKAGE = {
  name: "mediagate-client",
  setup(build) {
    build.onResolve({ filter: /^@mediagate\/client(\/uppy)?$/ }, (args) => ({
      path: fileURLToPath(new URL(`../../dist/${args.path.endsWith("/uppy") ? "uppy" : "index"}.js`, import.meta.url)),
    }));
  },
};

/** An IIFE bundle of an entry module (it puts what the page needs on window). */
export async function bundle(entry) {
  const result = await build({ entryPoints: [entry], bundle: true, format: "iife", write: false, logLevel: "warning",
    target: "chrome120", plugins: [THIS_PACKAGE] });
  return result.outputFiles[0].text;
}

/** A page's module script (top-level await allowed) from its source, its imports bundled in. */
export async function bundleModule(source, resolveDir) {
  const result = await build({ stdin: { contents: source, resolveDir, sourcefile: "page.js" }, bundle: true, format: "esm",
    write: false, logLevel: "warning", target: "chrome120", plugins: [THIS_PACKAGE] });
  return result.outputFiles[0].text;
}

/** A page on the API's origin with these scripts, and a DevTools session for the network. */
export async function openPage(executable, apiUrl, scripts) {
  const browser = await chromium.launch({ executablePath: executable, args: ["--no-sandbox", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update"] });
  const page = await browser.newPage();
  const errors = [];
  // The browser asks the borrowed origin for /favicon.ico after its page has loaded, whenever that request happens to
  // finish: its 404 belongs to the JSON page, not to the test, so it is left out by its URL rather than by timing.
  page.on("console", (message) => {
    if (message.type() === "error" && !new URL(message.location().url || "about:blank").pathname.endsWith("/favicon.ico")) {
      errors.push(message.text());
    }
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  const load = async () => {
    await page.goto(`${apiUrl}/_local/config`);
    await page.setContent("<!doctype html><html lang=en><head><meta charset=utf-8><link rel=icon href='data:,'><title>test</title></head><body></body></html>");
    for (const script of scripts) await page.addScriptTag({ content: script });
    // What the JSON page the origin was borrowed from logged is not the test's.
    errors.length = 0;
  };
  await load();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  // Requests the network refused (Network.setBlockedURLs), by URL as sent.
  const refused = [];
  cdp.on("Network.loadingFailed", (event) => {
    if (event.blockedReason) refused.push(event.requestId);
  });
  return {
    browser, page, cdp, errors, refused,
    /** Reloads the page (its origin's storage stays) and puts the scripts back. */
    reload: load,
    /** Makes the network fail every request whose URL matches one of these patterns (`*` wildcards); none to heal. */
    block: (patterns) => cdp.send("Network.setBlockedURLs", { urls: patterns }),
    /** Makes the first `times` requests matching `pattern` fail as a reset connection; counts every match. */
    async failFirst(pattern, times) {
      const seen = { requests: 0, failed: 0 };
      await cdp.send("Fetch.enable", { patterns: [{ urlPattern: pattern, requestStage: "Request" }] });
      cdp.on("Fetch.requestPaused", (event) => {
        seen.requests++;
        if (seen.failed < times) {
          seen.failed++;
          cdp.send("Fetch.failRequest", { requestId: event.requestId, errorReason: "ConnectionReset" }).catch(() => {});
        } else {
          cdp.send("Fetch.continueRequest", { requestId: event.requestId }).catch(() => {});
        }
      });
      return seen;
    },
  };
}

/** The presigned URLs of one part number, wherever the query string puts it. */
export function partUrls(partNumber) {
  return [`*partNumber=${partNumber}&*`, `*&partNumber=${partNumber}`];
}

/** Page code that makes `size` bytes of a PDF, the same for the same seed (so a reloaded page can pick "the same file"). */
export const MAKE_PDF = `
window.makePdf = (size, seed) => {
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, Math.floor(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; words[i] = x >>> 0; }
  bytes.set(new TextEncoder().encode("%PDF-1.7\\n"));
  return bytes;
};
window.sha256 = async (bytes) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
  .map((b) => b.toString(16).padStart(2, "0")).join("");
`;
