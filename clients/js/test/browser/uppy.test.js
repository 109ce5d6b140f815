// Uppy 5.x and 6.x on mediagate through the client's integrations, as docs/large-files.md shows them (its marked blocks,
// bundled as written), in Debian's headless Chromium against the local stack: a 40 MiB PDF in parts, one part of which
// the network fails, and a 1 MiB one as a single PUT; S3 ends up with exactly the page's bytes, and the multipart upload
// was completed through mediagate's route.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Mediagate } from "../../dist/index.js";
import { writeFile } from "node:fs/promises";
import { MAKE_PDF, bundle, chromiumOrSkip, openPage, partUrls } from "../support/browser.js";
import { docBlock } from "../support/docs.js";
import { download, sha256 } from "../support/bytes.js";
import { localStack, uniqueUser } from "../support/local-stack.js";

let stack;

before(async () => {
  stack = await localStack();
});

after(async () => {
  await stack?.stop();
});

/** Adds both files to a new Uppy and starts; window.uppyResult holds the outcome, window.uppyParts talk.pdf's parts. */
const START = `async ({ api, token }) => {
  const uppy = window.createUppy({ api, getToken: async () => token });
  window.uppyParts = [];
  uppy.on("s3-multipart:part-uploaded", (file, part) => { if (file.name === "talk.pdf") window.uppyParts.push(part.PartNumber); });
  const talk = window.makePdf(40 * 1024 * 1024, 3);
  const note = window.makePdf(1024 * 1024, 5);
  window.uppyDigests = { "talk.pdf": await window.sha256(talk), "note.pdf": await window.sha256(note) };
  uppy.addFile({ name: "talk.pdf", type: "application/pdf", data: new Blob([talk], { type: "application/pdf" }) });
  uppy.addFile({ name: "note.pdf", type: "application/pdf", data: new Blob([note], { type: "application/pdf" }) });
  window.uppyResult = uppy.upload().then((result) => ({
    successful: result.successful.map((file) => ({ name: file.name, fileId: file.meta.fileId })),
    failed: result.failed.map((file) => ({ name: file.name, error: String(file.error) })),
  }));
}`;

/** The docs' block for this Uppy version, bundled with its harness's pinned Uppy. */
async function documentedUppy(version) {
  await writeFile(new URL(`../uppy${version}/snippet.js`, import.meta.url), await docBlock(`uppy${version}-snippet`));
  return bundle(new URL(`../uppy${version}/entry.js`, import.meta.url).pathname);
}

async function assertStoredAsSent(page, token, result) {
  assert.deepEqual(result.failed, []);
  assert.deepEqual(result.successful.map((file) => file.name).sort(), ["note.pdf", "talk.pdf"]);
  const digests = await page.page.evaluate(() => window.uppyDigests);
  const api = new Mediagate({ baseUrl: stack.apiUrl, getToken: () => token });
  for (const file of result.successful) {
    const ready = await api.waitUntilReady(file.fileId);
    assert.equal(sha256(await download(ready.original.url)), digests[file.name], file.name);
  }
}

test("Uppy 5: a part the network blocks is retried, the small file goes up as one PUT", async (t) => {
  const executable = chromiumOrSkip(t);
  const token = await stack.token(uniqueUser("uppy5"));
  const page = await openPage(executable, stack.apiUrl, [MAKE_PDF, await documentedUppy(5)]);
  try {
    await page.block(partUrls(2));

    await page.page.evaluate(`(${START})(${JSON.stringify({ api: stack.apiUrl, token })})`);
    await page.page.waitForFunction(() => window.uppyParts.length === 4, null, { timeout: 60_000 });
    await page.block([]);
    const result = await page.page.evaluate(() => window.uppyResult);

    assert.deepEqual(await page.page.evaluate(() => window.uppyParts.slice().sort((a, b) => a - b)), [1, 2, 3, 4, 5]);
    // Uppy 5 signs a part again before each attempt; how many attempts the blocked part made depends on how long the
    // other four took, so what is checked is that the network refused it and it went up all the same.
    assert.ok(page.refused.length >= 1, "the network refused part 2 at least once");
    await assertStoredAsSent(page, token, result);
    assert.deepEqual(page.errors.filter((error) => !error.includes("ERR_BLOCKED_BY_CLIENT")), []);
  } finally {
    await page.browser.close();
  }
});

test("Uppy 6: a part the network fails is sent again and the upload completes through mediagate's route", async (t) => {
  const executable = chromiumOrSkip(t);
  const token = await stack.token(uniqueUser("uppy6"));
  const page = await openPage(executable, stack.apiUrl, [MAKE_PDF, await documentedUppy(6)]);
  try {
    const partTwo = await page.failFirst("*partNumber=2*", 1);

    await page.page.evaluate(`(${START})(${JSON.stringify({ api: stack.apiUrl, token })})`);
    const result = await page.page.evaluate(() => window.uppyResult);

    assert.equal(partTwo.failed, 1);
    assert.ok(partTwo.requests >= 2, "part 2 went up again after the failure");
    assert.deepEqual(await page.page.evaluate(() => window.uppyParts), [1, 2, 3, 4, 5]);
    const completions = await page.page.evaluate(() => performance.getEntriesByType("resource")
      .filter((entry) => entry.name.endsWith("/complete")).map((entry) => new URL(entry.name).pathname));
    const talk = result.successful.find((file) => file.name === "talk.pdf");
    assert.deepEqual(completions, [`/uploads/${talk.fileId}/complete`]);
    await assertStoredAsSent(page, token, result);
    assert.deepEqual(page.errors.filter((error) => !error.includes("ERR_CONNECTION_RESET")), []);
  } finally {
    await page.browser.close();
  }
});
