// The client in Debian's headless Chromium against the local stack: 40 MiB in parts through a part the network blocks
// (Chromium's own request blocking), and an upload cut off by a page reload that resumes from what S3 holds.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Mediagate } from "../../dist/index.js";
import { MAKE_PDF, bundle, chromiumOrSkip, openPage, partUrls } from "../support/browser.js";
import { download, sha256 } from "../support/bytes.js";
import { localStack, uniqueUser } from "../support/local-stack.js";

const MIB = 1024 * 1024;
let stack;
let client;

before(async () => {
  stack = await localStack();
  client = await bundle(new URL("./entries/client.js", import.meta.url).pathname);
});

after(async () => {
  await stack?.stop();
});

/** Starts an upload of a 40 MiB PDF made in the page from `seed`; returns at once (window.upload holds the outcome). */
const START = `async ({ api, token, seed, name, scope }) => {
  const bytes = window.makePdf(40 * 1024 * 1024, seed);
  window.digest = await window.sha256(bytes);
  window.retries = 0;
  window.starts = [];
  const client = new window.mediagate.Mediagate({ baseUrl: api, getToken: () => token, resumeScope: scope });
  const file = new File([bytes], name, { type: "application/pdf", lastModified: 1700000000000 });
  window.upload = client.upload(file, { onRetry: () => { window.retries++; }, onStart: (start) => window.starts.push(start) })
    .then((done) => ({ done }), (error) => ({ error: String(error) }));
}`;

async function storedSha256(token, fileId) {
  const api = new Mediagate({ baseUrl: stack.apiUrl, getToken: () => token });
  return sha256(await download((await api.waitUntilReady(fileId)).original.url));
}

test("40 MiB go up in parts through a part the network blocks, and S3 holds exactly the page's bytes", async (t) => {
  const executable = chromiumOrSkip(t);
  const user = uniqueUser("browser-parts");
  const token = await stack.token(user);
  const page = await openPage(executable, stack.apiUrl, [MAKE_PDF, client]);
  try {
    await page.block(partUrls(2));

    await page.page.evaluate(`(${START})(${JSON.stringify({ api: stack.apiUrl, token, seed: 7, name: "talk.pdf", scope: user })})`);
    await page.page.waitForFunction(() => window.retries >= 1, null, { timeout: 60_000 });
    await page.block([]);
    const outcome = await page.page.evaluate(() => window.upload);

    assert.equal(outcome.error, undefined);
    assert.equal(await storedSha256(token, outcome.done.fileId), await page.page.evaluate(() => window.digest));
    assert.deepEqual(page.errors.filter((error) => !error.includes("ERR_BLOCKED_BY_CLIENT")), []);
  } finally {
    await page.browser.close();
  }
});

test("an upload cut off by a reload resumes from what S3 holds and sends only the missing parts", async (t) => {
  const executable = chromiumOrSkip(t);
  const user = uniqueUser("browser-resume");
  const token = await stack.token(user);
  const api = new Mediagate({ baseUrl: stack.apiUrl, getToken: () => token });
  const page = await openPage(executable, stack.apiUrl, [MAKE_PDF, client]);
  try {
    await page.block([...partUrls(4), ...partUrls(5)]);
    const start = `(${START})(${JSON.stringify({ api: stack.apiUrl, token, seed: 11, name: "keynote.pdf", scope: user })})`;
    await page.page.evaluate(start);
    await page.page.waitForFunction(() => window.starts.length === 1, null, { timeout: 30_000 });
    const { fileId, uploadId } = await page.page.evaluate(() => window.starts[0]);
    for (let held = 0; held < 3;) {
      held = (await api.listParts(fileId, uploadId)).length;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await page.reload();
    await page.block([]);
    await page.page.evaluate(start);
    const outcome = await page.page.evaluate(() => window.upload);

    assert.equal(outcome.error, undefined);
    assert.equal(outcome.done.fileId, fileId);
    assert.equal(await page.page.evaluate(() => window.starts[0].resumedParts), 3);
    const partsSentAfterReload = await page.page.evaluate(() => performance.getEntriesByType("resource").map((entry) => entry.name)
      .filter((name) => name.includes("partNumber=")).map((name) => new URL(name).searchParams.get("partNumber")));
    assert.deepEqual(partsSentAfterReload.sort(), ["4", "5"]);
    assert.equal(await storedSha256(token, fileId), await page.page.evaluate(() => window.digest));
    assert.equal(await page.page.evaluate(() => localStorage.getItem("mediagate.resumable-uploads")), "{}");
  } finally {
    await page.browser.close();
  }
});
