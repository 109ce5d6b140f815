// A single PUT that S3 refuses, against a stub fetch (no stack): an expired URL gets a fresh one through POST /uploads
// (a new file id: the contract signs a single PUT only there), S3's 503 Slow Down is sent again to the same URL after
// a pause, and any other refusal is final.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Mediagate, MediagateError } from "../../dist/index.js";

const EXPIRED = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code><Message>Request has expired</Message>"
  + "<RequestId>4C679E7DF445F66D</RequestId></Error>";
const SLOW_DOWN = "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
const SIGNATURE = "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match"
  + "</Message></Error>";

/** An API and an S3 in one stub: each POST /uploads signs a new URL; `s3` answers each PUT (by URL and attempt). */
function stub(s3, { expiresAt = new Date(Date.now() + 600_000).toISOString(), files = () => new Response("", { status: 404 }) } = {}) {
  const calls = [];
  let created = 0;
  const fetch = async (url, init) => {
    const { pathname } = new URL(url);
    calls.push(`${init.method} ${url.startsWith("https://s3") ? url : pathname}`);
    if (init.method === "POST" && pathname === "/uploads") {
      created += 1;
      return Response.json({ fileId: `file-${created}`, status: "awaiting-upload",
        upload: { method: "PUT", url: `https://s3.example.com/originals/o/file-${created}?X-Amz-Signature=s${created}`,
          headers: { "Content-Type": "image/jpeg", "If-None-Match": "*" }, expiresAt } }, { status: 201 });
    }
    if (init.method === "PUT") {
      return s3(url, calls.filter((call) => call === `PUT ${url}`).length);
    }
    if (init.method === "GET" && pathname.startsWith("/files/")) {
      return files(pathname);
    }
    throw new Error(`unexpected ${init.method} ${url}`);
  };
  return { calls, fetch };
}

const file = new Blob([new Uint8Array(10)], { type: "image/jpeg" });
const xml = (status, body) => new Response(body, { status, headers: { "Content-Type": "application/xml" } });

test("a PUT refused because its URL expired gets a fresh URL (a new file id) and goes up with it", async () => {
  const { calls, fetch } = stub((url) => url.includes("file-1") ? xml(403, EXPIRED) : new Response("", { status: 200 }));
  const started = [];
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch, retryDelays: [0, 0] });

  const uploaded = await client.upload(file, { filename: "a.jpg", onStart: ({ fileId }) => started.push(fileId) });

  assert.deepEqual(uploaded, { fileId: "file-2", status: "processing" });
  assert.deepEqual(started, ["file-1", "file-2"], "onStart tells the new id");
  assert.deepEqual(calls, ["POST /uploads", "PUT https://s3.example.com/originals/o/file-1?X-Amz-Signature=s1",
    "POST /uploads", "PUT https://s3.example.com/originals/o/file-2?X-Amz-Signature=s2"]);
});

test("a 403 whose body the browser may not read counts as expired once the URL's expiresAt has passed", async () => {
  let put = 0;
  const { calls, fetch } = stub(() => ++put === 1 ? new Response("", { status: 403 }) : new Response("", { status: 200 }),
    { expiresAt: new Date(Date.now() - 1000).toISOString() });
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch, retryDelays: [0] });

  assert.equal((await client.upload(file, { filename: "a.jpg" })).fileId, "file-2");
  assert.equal(calls.filter((call) => call === "POST /uploads").length, 2);
});

test("503 Slow Down is sent again to the same URL after a pause, without a new file id", async () => {
  const { calls, fetch } = stub((url, attempt) => attempt <= 2 ? xml(503, SLOW_DOWN) : new Response("", { status: 200 }));
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch, retryDelays: [80, 80, 80] });
  const started = Date.now();

  assert.equal((await client.upload(file, { filename: "a.jpg" })).fileId, "file-1");
  assert.deepEqual(calls, ["POST /uploads", ...Array(3).fill("PUT https://s3.example.com/originals/o/file-1?X-Amz-Signature=s1")]);
  assert.ok(Date.now() - started >= 80, "paused between the attempts");
});

test("an expired URL after an attempt that may have landed: the file's status says it did, no new file id", async () => {
  let put = 0;
  const { calls, fetch } = stub(() => {
    put += 1;
    if (put === 1) throw new TypeError("fetch failed");
    return xml(403, EXPIRED);
  }, { files: (path) => path === "/files/file-1" ? Response.json({ fileId: "file-1", status: "processing" }) : new Response("", { status: 404 }) });
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch, retryDelays: [0] });

  assert.equal((await client.upload(file, { filename: "a.jpg" })).fileId, "file-1");
  assert.deepEqual(calls.filter((call) => !call.startsWith("PUT")), ["POST /uploads", "GET /files/file-1"]);
});

test("any other 403 is final: S3's code in the error, no fresh URL, no retry", async () => {
  const { calls, fetch } = stub(() => xml(403, SIGNATURE));
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch, retryDelays: [0, 0] });

  const error = await client.upload(file, { filename: "a.jpg" }).catch((e) => e);

  assert.ok(error instanceof MediagateError);
  assert.equal(error.status, 403);
  assert.match(error.message, /SignatureDoesNotMatch/);
  assert.doesNotMatch(error.message, /X-Amz-Signature/, "never the signed URL");
  assert.deepEqual(calls, ["POST /uploads", "PUT https://s3.example.com/originals/o/file-1?X-Amz-Signature=s1"]);
});

test("URLs that keep expiring: three fresh ones, then the upload fails with why", async () => {
  const { calls, fetch } = stub(() => xml(403, EXPIRED));
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch, retryDelays: [0] });

  await assert.rejects(client.upload(file, { filename: "a.jpg" }), (error) => error.status === 403 && /expired/.test(error.message));
  assert.equal(calls.filter((call) => call === "POST /uploads").length, 4);
});
