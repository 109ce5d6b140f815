// The client's requests and its reading of answers, against a stub fetch (no stack): what the contract says goes on
// the wire, including the parts of it the API does not take yet (PATCH focus).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Mediagate, MediagateError, pictureHtml } from "../../dist/index.js";

function recording(answer) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, method: init.method, headers: init.headers, body: init.body ? JSON.parse(init.body) : undefined });
    return answer(url, init);
  };
  return { calls, fetch };
}

const view = { fileId: "0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d", visibility: "private", status: "ready", filename: "a.jpg",
  contentType: "image/jpeg", size: 10 };

test("setFocus sends the contract's PATCH {focus}, and null for the centre", async () => {
  const { calls, fetch } = recording(() => Response.json(view));
  const client = new Mediagate({ baseUrl: "https://api.example.com/", getToken: () => "t0k3n", fetch });

  await client.setFocus(view.fileId, { x: 0.25, y: 0.4 });
  await client.setFocus(view.fileId, null);

  assert.deepEqual(calls.map((call) => [call.method, call.url, call.body]), [
    ["PATCH", `https://api.example.com/files/${view.fileId}`, { focus: { x: 0.25, y: 0.4 } }],
    ["PATCH", `https://api.example.com/files/${view.fileId}`, { focus: null }],
  ]);
  assert.equal(calls[0].headers.Authorization, "Bearer t0k3n");
  assert.equal(calls[0].headers["Content-Type"], "application/json");
});

test("a service caller's calls go under /owners/{owner}", async () => {
  const { calls, fetch } = recording(() => Response.json(view));
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch, owner: "ksbadydqkpcosn4zkgtwasmyjuchops2" });

  await client.setVisibility(view.fileId, "public");

  assert.equal(calls[0].url, `https://api.example.com/owners/ksbadydqkpcosn4zkgtwasmyjuchops2/files/${view.fileId}`);
});

test("a problem+json answer becomes a MediagateError with its status, detail and fields", async () => {
  const problem = { type: "about:blank", title: "Invalid request", status: 400, detail: "The upload request has invalid fields.",
    errors: [{ field: "size", message: "must be between 1 and 26214400 bytes" }] };
  const { fetch } = recording(() => new Response(JSON.stringify(problem), { status: 400, headers: { "Content-Type": "application/problem+json" } }));
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch });

  const error = await client.createUpload({ filename: "a.pdf", contentType: "application/pdf", size: 1e12 }).catch((e) => e);

  assert.ok(error instanceof MediagateError);
  assert.equal(error.status, 400);
  assert.deepEqual(error.fieldErrors, problem.errors);
  assert.match(error.message, /POST \/uploads: 400 The upload request has invalid fields\.; size must be between/);
});

test("the HTTP API's own refusal ({message}) is a MediagateError too", async () => {
  const { fetch } = recording(() => Response.json({ message: "Unauthorized" }, { status: 401 }));
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "expired", fetch });

  await assert.rejects(client.me(), (error) => error instanceof MediagateError && error.status === 401 && /Unauthorized/.test(error.message));
});

test("pictureHtml escapes what it writes and shows nothing for a file without variants", () => {
  const image = { ...view, filename: 'say "hi" <b>.jpg', width: 2, height: 1,
    variants: { thumb: { url: "https://cdn/t.jpg?a=1&b=2", width: 2, height: 1, contentType: "image/jpeg", size: 5 } } };

  assert.equal(pictureHtml(image), '<picture><img src="https://cdn/t.jpg?a=1&amp;b=2" srcset="https://cdn/t.jpg?a=1&amp;b=2 2w"'
    + ' width="2" height="1" alt="say &quot;hi&quot; &lt;b&gt;.jpg" loading="lazy" decoding="async"></picture>');
  assert.equal(pictureHtml(view), "");
});

test("a throttled POST /uploads (429) is sent again after the server's Retry-After, then succeeds", async () => {
  let answers = 0;
  const created = { fileId: "f", status: "awaiting-upload", upload: { method: "PUT", url: "https://s3/x", headers: {}, expiresAt: "x" } };
  const { calls, fetch } = recording(() => ++answers === 1
    ? Response.json({ message: "Too Many Requests" }, { status: 429, headers: { "Retry-After": "1" } })
    : Response.json(created, { status: 201 }));
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch, retryDelays: [10] });
  const started = Date.now();

  const answer = await client.createUpload({ filename: "a.jpg", contentType: "image/jpeg", size: 10 });

  assert.equal(answer.fileId, "f");
  assert.deepEqual(calls.map((call) => call.method), ["POST", "POST"]);
  assert.ok(Date.now() - started >= 1000, "waited the Retry-After's second, not the 10 ms retry delay");
});

test("a POST refused with another status is not sent again", async () => {
  const { calls, fetch } = recording(() => Response.json({ message: "Internal Server Error" }, { status: 500 }));
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch, retryDelays: [0] });

  await assert.rejects(client.createUpload({ filename: "a.jpg", contentType: "image/jpeg", size: 10 }));
  assert.equal(calls.length, 1);
});

test("clients throttled together (429 without Retry-After, as API Gateway sends it) come back spread out, each within its step", async () => {
  const retriedAt = [];
  const started = Date.now();
  const clients = Array.from({ length: 20 }, () => {
    let answers = 0;
    const { fetch } = recording(() => {
      if (++answers === 1) return Response.json({ message: "Too Many Requests" }, { status: 429 });
      retriedAt.push(Date.now() - started);
      return Response.json(view);
    });
    return new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch, retryDelays: [400] });
  });

  await Promise.all(clients.map((client) => client.file(view.fileId)));

  assert.equal(retriedAt.length, 20);
  assert.ok(Math.min(...retriedAt) >= 195, `no retry before half the step: ${retriedAt}`);
  assert.ok(Math.max(...retriedAt) - Math.min(...retriedAt) >= 60, `the retries are spread, not all at once: ${retriedAt}`);
});

test("waitUntilReady reads a processing file less and less often, and stops at ready", async () => {
  const readAt = [];
  const { fetch } = recording(() => {
    readAt.push(performance.now());
    return Response.json({ ...view, status: readAt.length < 5 ? "processing" : "ready" });
  });
  const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: () => "t", fetch });

  const ready = await client.waitUntilReady(view.fileId);

  assert.equal(ready.status, "ready");
  assert.equal(readAt.length, 5);
  const pauses = readAt.slice(1).map((at, i) => at - readAt[i]);
  assert.ok(pauses[0] >= 240, `the first pause is a quarter second: ${pauses}`);
  pauses.slice(1).forEach((pause, i) => assert.ok(pause > pauses[i] * 1.3, `each pause longer than the one before: ${pauses}`));
});
