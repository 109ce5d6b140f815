// Uppy's single PUT through the integrations, against a stub API (no stack, no Uppy): a URL past its expiresAt (a
// retry long after the first attempt) is never handed to Uppy; a new POST /uploads signs a fresh one, under a new file
// id, which the file's meta (and, with 6.x, the key Uppy records) then carry.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Mediagate } from "../../dist/index.js";
import { uppy5, uppy6 } from "../../dist/uppy.js";

/** Each POST /uploads signs a single PUT for a new file id, expiring as `expiries` says in turn (ms from now). */
function api(expiries) {
  const calls = [];
  let created = 0;
  const fetch = async (url, init) => {
    const { pathname } = new URL(url);
    calls.push(`${init.method} ${pathname}`);
    if (init.method === "POST" && pathname === "/uploads") {
      created += 1;
      const expiresAt = new Date(Date.now() + expiries[Math.min(created, expiries.length) - 1]).toISOString();
      return Response.json({ fileId: `file-${created}`, status: "awaiting-upload",
        upload: { method: "PUT", url: `https://s3.example.com/originals/o/file-${created}`, headers: { "If-None-Match": "*" },
          expiresAt } }, { status: 201 });
    }
    throw new Error(`unexpected ${init.method} ${url}`);
  };
  return { calls, client: new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch }) };
}

/** The part of Uppy the integrations use, holding one file. */
function fakeUppy() {
  const file = { id: "uppy-1", name: "a.jpg", type: "image/jpeg", size: 10, data: new Blob([new Uint8Array(10)]), meta: {} };
  const uppy = {
    preProcessors: [],
    addPreProcessor(fn) { this.preProcessors.push(fn); },
    getFile: (id) => (id === file.id ? file : undefined),
    setFileMeta: (id, meta) => { Object.assign(file.meta, meta); },
    on() {},
    run: async () => { for (const fn of uppy.preProcessors) await fn([file.id]); },
  };
  return { uppy, file };
}

test("Uppy 5: a single PUT's URL still valid is handed as it is; one past its expiresAt is replaced by a new upload", async () => {
  const { calls, client } = api([-1000, 600_000]);
  const { uppy, file } = fakeUppy();
  const options = uppy5(uppy, client);
  await uppy.run();
  assert.equal(file.meta.fileId, "file-1");

  const parameters = await options.getUploadParameters(file);

  assert.equal(parameters.url, "https://s3.example.com/originals/o/file-2");
  assert.equal(file.meta.fileId, "file-2", "the file's meta names its new id");
  assert.deepEqual(await options.getUploadParameters(file), parameters, "a valid URL is not replaced");
  assert.deepEqual(calls, ["POST /uploads", "POST /uploads"]);
});

test("Uppy 5: a URL within a minute of its expiresAt is replaced too (a PUT must not start on it)", async () => {
  const { client } = api([30_000, 600_000]);
  const { uppy, file } = fakeUppy();
  const options = uppy5(uppy, client);
  await uppy.run();

  assert.equal((await options.getUploadParameters(file)).url, "https://s3.example.com/originals/o/file-2");
});

test("Uppy 6: the PUT signRequest asks for, with an expired URL, is signed anew and names the new key", async () => {
  const { calls, client } = api([-1000, 600_000]);
  const { uppy, file } = fakeUppy();
  const options = uppy6(uppy, client);
  await uppy.run();
  const key = options.generateObjectKey(file);

  const signed = await options.signRequest({ method: "PUT", key, contentType: "image/jpeg" });

  assert.equal(key, "file-1");
  assert.deepEqual(signed, { url: "https://s3.example.com/originals/o/file-2", key: "file-2", headers: { "If-None-Match": "*" } });
  assert.equal(options.generateObjectKey(file), "file-2", "a retry starts from the new key");
  assert.deepEqual(calls, ["POST /uploads", "POST /uploads"]);
});
