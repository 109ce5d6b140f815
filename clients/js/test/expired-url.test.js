// A single PUT whose URL expires before S3 takes it, against a local stack of its own that signs upload URLs for one
// second (UploadUrlTtlSeconds=1): S3Proxy refuses it as S3 does (403 AccessDenied, "Request has expired"), the client
// asks POST /uploads for a fresh URL (a new file id), and the file goes up and ends ready.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { Mediagate, memoryResumeStore } from "../dist/index.js";
import { localStack, uniqueUser } from "./support/local-stack.js";

let stack;

before(async () => {
  stack = await localStack({ parameterOverrides: "UploadUrlTtlSeconds=1" });
});

after(async () => {
  await stack?.stop();
});

test("a PUT sent after its one-second URL expired is refused by S3, and the client uploads with a fresh URL", async () => {
  const puts = [];
  // The first PUT leaves 2.5 s after its URL was signed, as a slow device or a paused tab would.
  const slowFirstPut = async (url, init) => {
    if (init?.method === "PUT") {
      if (!puts.length) await new Promise((done) => setTimeout(done, 2500));
      const response = await fetch(url, init);
      puts.push({ status: response.status, body: await response.clone().text() });
      return response;
    }
    return fetch(url, init);
  };
  const token = await stack.token(uniqueUser("expired-url"));
  const client = new Mediagate({ baseUrl: stack.apiUrl, getToken: () => token, resumeStore: memoryResumeStore(), fetch: slowFirstPut });
  const started = [];
  const photo = new Blob([await readFile(new URL("./fixtures/sunset.jpg", import.meta.url))], { type: "image/jpeg" });

  const { fileId } = await client.upload(photo, { filename: "sunset.jpg", onStart: (start) => started.push(start.fileId) });

  assert.equal(puts.length, 2);
  assert.equal(puts[0].status, 403);
  assert.match(puts[0].body, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  assert.equal(puts[1].status, 200);
  assert.equal(started.length, 2);
  assert.equal(fileId, started[1]);
  assert.notEqual(started[0], started[1]);
  assert.equal((await client.waitUntilReady(fileId)).status, "ready");
  await assert.rejects(client.file(started[0]), (error) => error.status === 404, "the expired URL's file never exists");
});
