// @mediagate/client (as built into dist/) against the local stack, in Node.js: uploads as one PUT and in parts
// through failures, a resume that sends only what S3 lacks, an abort, and every call on a file afterwards.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { FileRejectedError, Mediagate, MediagateError, memoryResumeStore, picture, pictureHtml } from "../dist/index.js";
import { download, pdf, sha256 } from "./support/bytes.js";
import { localStack, uniqueUser } from "./support/local-stack.js";

const MIB = 1024 * 1024;
let stack;

before(async () => {
  stack = await localStack();
});

after(async () => {
  await stack?.stop();
});

/** A client for a new user, whose PUTs to S3 go through `fetchToS3` (a fetch the test can make fail). */
async function clientFor(prefix, options = {}) {
  const token = await stack.token(uniqueUser(prefix));
  return new Mediagate({ baseUrl: stack.apiUrl, getToken: () => token, resumeStore: memoryResumeStore(), ...options });
}

/** A fetch whose PUTs of some parts fail as a dropped connection does, `times` times each (Infinity: always). */
function failingParts(partNumbers, times, log = []) {
  const failures = new Map();
  return async (url, init) => {
    const partNumber = Number(new URL(url).searchParams.get("partNumber") || 0);
    if (init?.method === "PUT" && partNumber) {
      log.push(partNumber);
      if (partNumbers.includes(partNumber) && (failures.get(partNumber) ?? 0) < times) {
        failures.set(partNumber, (failures.get(partNumber) ?? 0) + 1);
        throw new TypeError("fetch failed: the network dropped the connection");
      }
    }
    return fetch(url, init);
  };
}

function asFile(bytes, name, type) {
  return new File([bytes], name, { type, lastModified: 1_700_000_000_000 });
}

describe("uploads", () => {
  test("a small file goes up as one PUT with progress, and its original is what was sent", async () => {
    const client = await clientFor("single");
    const bytes = pdf(300 * 1024);
    const progress = [];
    const starts = [];

    const uploaded = await client.upload(asFile(bytes, "notes.pdf", "application/pdf"), {
      onProgress: (p) => progress.push(p), onStart: (s) => starts.push(s),
    });

    assert.equal(uploaded.status, "processing");
    assert.deepEqual(starts, [{ fileId: uploaded.fileId, method: "PUT", resumedParts: 0, partCount: 1 }]);
    assert.deepEqual(progress.at(-1), { loaded: bytes.length, total: bytes.length });
    const ready = await client.waitUntilReady(uploaded.fileId);
    assert.equal(ready.status, "ready");
    assert.equal(sha256(await download(ready.original.url)), sha256(bytes));
  });

  test("40 MiB go up in parts, a part the network fails is retried with a fresh URL, and the original is whole", async () => {
    const sent = [];
    const client = await clientFor("parts", { fetch: failingParts([2], 2, sent), retryDelays: [100, 200, 400] });
    const bytes = pdf(40 * MIB);
    const retries = [];
    const progress = [];

    const uploaded = await client.upload(asFile(bytes, "talk.pdf", "application/pdf"), {
      onRetry: (retry) => retries.push(retry.partNumber), onProgress: (p) => progress.push(p.loaded),
    });

    assert.deepEqual(retries, [2, 2]);
    assert.deepEqual([...new Set(sent)].sort((a, b) => a - b), [1, 2, 3, 4, 5]);
    assert.equal(progress.at(-1), bytes.length);
    const ready = await client.waitUntilReady(uploaded.fileId);
    assert.equal(sha256(await download(ready.original.url)), sha256(bytes));
  });

  test("after a reload the same file resumes from what S3 holds and sends only the missing parts", async () => {
    const token = await stack.token(uniqueUser("resume"));
    const store = memoryResumeStore();
    const bytes = pdf(40 * MIB);
    const file = asFile(bytes, "keynote.pdf", "application/pdf");
    const firstPage = new Mediagate({ baseUrl: stack.apiUrl, getToken: () => token, resumeStore: store,
      fetch: failingParts([4, 5], Infinity), retryDelays: [] });
    await assert.rejects(firstPage.upload(file), /got no answer/);
    assert.equal((await firstPage.resumableUploads()).length, 1, "the unfinished upload is remembered");

    const sentAfterReload = [];
    const starts = [];
    const secondPage = new Mediagate({ baseUrl: stack.apiUrl, getToken: () => token, resumeStore: store,
      fetch: failingParts([], 0, sentAfterReload) });
    const uploaded = await secondPage.upload(file, { onStart: (start) => starts.push(start) });

    assert.equal(starts[0].resumedParts, 3);
    assert.deepEqual(sentAfterReload.sort(), [4, 5]);
    assert.deepEqual(await secondPage.resumableUploads(), []);
    const ready = await secondPage.waitUntilReady(uploaded.fileId);
    assert.equal(sha256(await download(ready.original.url)), sha256(bytes));
  });

  test("an abort stops the parts, aborts the upload at S3 and forgets it", async () => {
    const aborting = new AbortController();
    const client = await clientFor("abort", {
      concurrency: 1,
      fetch: async (url, init) => {
        if (new URL(url).searchParams.get("partNumber") === "2") {
          aborting.abort();
        }
        return fetch(url, init);
      },
    });
    let started;

    await assert.rejects(client.upload(asFile(pdf(40 * MIB), "draft.pdf", "application/pdf"), {
      signal: aborting.signal, onStart: (start) => { started = start; },
    }), { name: "AbortError" });

    assert.deepEqual(await client.resumableUploads(), []);
    await assert.rejects(client.listParts(started.fileId, started.uploadId), (error) => error.status === 404);
    await assert.rejects(client.file(started.fileId), (error) => error instanceof MediagateError && error.status === 404);
  });

  test("a file the resizer refuses rejects waitUntilReady with its reason", async () => {
    const client = await clientFor("rejected");
    const uploaded = await client.upload(asFile(pdf(2000), "fake.jpg", "image/jpeg"));

    await assert.rejects(client.waitUntilReady(uploaded.fileId), (error) =>
      error instanceof FileRejectedError && /type-mismatch|not-an-image/.test(error.reason));
  });

  test("an invalid upload is a MediagateError naming each field", async () => {
    const client = await clientFor("invalid");

    await assert.rejects(client.upload(asFile(pdf(10), "a.exe", "application/x-msdownload")), (error) =>
      error instanceof MediagateError && error.status === 400 && error.fieldErrors.some((e) => e.field === "contentType"));
  });
});

describe("a ready image", () => {
  let client;
  let fileId;

  before(async () => {
    client = await clientFor("image");
    const photo = await readFile(new URL("./fixtures/sunset.jpg", import.meta.url));
    fileId = (await client.upload(asFile(photo, "sunset.jpg", "image/jpeg"))).fileId;
    await client.waitUntilReady(fileId);
  });

  test("picture() gives a WebP source and a JPEG img with every width, each served by the CDN", async () => {
    const view = await client.file(fileId);

    const parts = picture(view, { sizes: "100vw" });

    assert.deepEqual(parts.sources.map((source) => source.type), ["image/webp"]);
    assert.equal(parts.img.alt, "sunset.jpg");
    assert.deepEqual([parts.img.width, parts.img.height], [900, 600]);
    const widths = (srcset) => srcset.split(", ").map((entry) => Number(entry.split(" ")[1].replace("w", "")));
    assert.deepEqual(widths(parts.img.srcset), [...new Set(widths(parts.img.srcset))].sort((a, b) => a - b));
    const urls = [parts.img.src, ...parts.img.srcset.split(", ").map((entry) => entry.split(" ")[0]),
      ...parts.sources[0].srcset.split(", ").map((entry) => entry.split(" ")[0])];
    for (const url of urls) {
      const response = await fetch(url);
      assert.equal(response.status, 200, url.split("?")[0]);
      assert.match(response.headers.get("content-type"), /^image\/(jpeg|webp)$/);
    }
    assert.match(pictureHtml(view), /^<picture><source type="image\/webp" srcset="[^"<>]+"><img src="[^"<>]+" srcset="[^"<>]+" width="900" height="600" alt="sunset.jpg" loading="lazy" decoding="async"><\/picture>$/);
  });

  test("public variants get plain, stable URLs; private ones signed URLs again", async () => {
    const published = await client.setVisibility(fileId, "public");
    assert.equal(published.visibility, "public");
    assert.ok(Object.values(published.variants).every((variant) => !variant.url.includes("?")));
    assert.equal((await fetch(published.variants.thumb.url)).status, 200);

    const unpublished = await client.setVisibility(fileId, "private");
    assert.ok(Object.values(unpublished.variants).every((variant) => variant.url.includes("Signature=")));
  });

  test("a share link opens the file for anyone until it is revoked", async () => {
    const share = await client.share(fileId, { expiresInSeconds: 3600 });
    assert.deepEqual((await client.shares(fileId)).map((s) => s.shareId), [share.shareId]);

    const seen = await client.openShare(share.url);
    assert.equal(seen.fileId, fileId);
    assert.equal(seen.owner, undefined);

    await client.revokeShare(fileId, share.shareId);
    await assert.rejects(client.openShare(share.url), (error) => error.status === 404);
  });

  test("a backend with the service scope signs a page of links and renders its picture", async () => {
    const owner = await client.me();
    const backendToken = await stack.token("backend", "mediagate/service");
    const backend = new Mediagate({ baseUrl: stack.apiUrl, getToken: () => backendToken });

    const page = await backend.links([{ owner, fileId }], { variants: ["thumb", "medium"] });
    const seenByBackend = await backend.forOwner(owner).file(fileId);

    assert.equal(page.files[0].status, "ready");
    assert.deepEqual(Object.keys(page.files[0].variants).sort(), ["medium", "thumb"]);
    assert.match(pictureHtml(page.files[0], { alt: "a sunset" }), /<img src="[^"]+" srcset="[^"]+ \d+w, [^"]+ \d+w" alt="a sunset"/);
    assert.equal(seenByBackend.fileId, fileId);
  });

  test("delete is final: the file is not found afterwards", async () => {
    await client.delete(fileId);

    await assert.rejects(client.file(fileId), (error) => error instanceof MediagateError && error.status === 404);
  });
});
