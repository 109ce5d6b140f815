// The README's frontend quick start, as written (its API URL pointed at this stack), in a page of headless Chromium:
// choosing a picture uploads it, waits until it is ready and shows its <picture>, which loads from the CDN edge.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { bundleModule, chromiumOrSkip, openPage } from "../support/browser.js";
import { docBlock } from "../support/docs.js";
import { localStack } from "../support/local-stack.js";

let stack;

before(async () => {
  stack = await localStack();
});

after(async () => {
  await stack?.stop();
});

test("the README's quick start uploads a chosen picture and shows its <picture>", async (t) => {
  const executable = chromiumOrSkip(t);
  const snippet = (await docBlock("frontend-quick-start")).replaceAll("http://127.0.0.1:3000", stack.apiUrl);
  const script = await bundleModule(snippet, fileURLToPath(new URL(".", import.meta.url)));
  const page = await openPage(executable, stack.apiUrl, []);
  try {
    await page.page.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<input type="file" accept="image/*">'));
    await page.page.addScriptTag({ content: script, type: "module" });
    await page.page.waitForFunction(() => window.performance.getEntriesByType("resource").some((entry) => entry.name.includes("/_local/token")));

    await page.page.setInputFiles("input[type=file]", fileURLToPath(new URL("../fixtures/sunset.jpg", import.meta.url)));

    await page.page.waitForFunction(() => {
      const image = document.querySelector("picture img");
      return image && image.complete && image.naturalWidth > 0;
    }, null, { timeout: 60_000 });
    const shown = await page.page.evaluate(() => ({ alt: document.querySelector("picture img").alt,
      source: document.querySelector("picture img").currentSrc }));
    assert.equal(shown.alt, "sunset.jpg");
    assert.match(new URL(shown.source).pathname, /\/variants\/[a-z2-7]{32}\/[0-9a-f-]{36}\/[a-z]+\.webp$/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.browser.close();
  }
});
