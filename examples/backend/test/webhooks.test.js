// The webhook route with events signed by the Standard Webhooks reference library: refused when the signature is
// not mediagate's, applied once per event id, and a file's record only ever moves to a newer state.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { createApp } from "../src/app.js";
import { FileStore } from "../src/store.js";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const quiet = { info() {}, warn() {}, error() {} };
let directory;
let store;
let server;
let url;

before(async () => {
  directory = await mkdtemp(join(tmpdir(), "example-backend-"));
  store = await new FileStore(join(directory, "files.json")).open();
  server = createApp({ webhookSecret: SECRET, store, mediagate: null, log: quiet }).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  url = `http://127.0.0.1:${server.address().port}/hooks/mediagate`;
});

after(async () => {
  server?.close();
  await rm(directory, { recursive: true, force: true });
});

function event(type, fileId, timestamp, status) {
  return { type, id: `evt_${randomBytes(8).toString("hex")}`, timestamp,
    data: { owner: "ksbadydqkpcosn4zkgtwasmyjuchops2", fileId, status, visibility: "private", filename: "a.jpg",
      contentType: "image/jpeg", size: 10, reason: null } };
}

/** POSTs the event as mediagate does: the body as signed, the Standard Webhooks headers. */
async function deliver(body, secret = SECRET) {
  const payload = JSON.stringify(body);
  const timestamp = new Date();
  const signature = new Webhook(secret).sign(body.id, timestamp, payload);
  return fetch(url, { method: "POST", body: payload, headers: { "content-type": "application/json", "webhook-id": body.id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)), "webhook-signature": signature } });
}

test("an event signed with another secret, or tampered with, is refused and not recorded", async () => {
  const forged = event("file.ready", "11111111-1111-4111-8111-111111111111", "2026-11-27T10:00:00Z", "ready");
  assert.equal((await deliver(forged, `whsec_${randomBytes(32).toString("base64")}`)).status, 400);

  const payload = JSON.stringify(forged);
  const signature = new Webhook(SECRET).sign(forged.id, new Date(), payload);
  const tampered = await fetch(url, { method: "POST", body: payload.replace("a.jpg", "b.jpg"), headers: {
    "content-type": "application/json", "webhook-id": forged.id, "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
    "webhook-signature": signature } });
  assert.equal(tampered.status, 400);
  assert.equal(store.file(forged.data.fileId), undefined);
});

test("a delivery repeated with the same id is applied once", async () => {
  const fileId = "22222222-2222-4222-8222-222222222222";
  const ready = event("file.ready", fileId, "2026-11-27T10:00:05Z", "ready");

  assert.equal((await deliver(ready)).status, 204);
  assert.equal(await store.record(ready), "duplicate");
  assert.equal((await deliver(ready)).status, 204);
  assert.equal(store.file(fileId).eventId, ready.id);
});

test("an older event arriving late never takes a file back, and a deletion is final", async () => {
  const fileId = "33333333-3333-4333-8333-333333333333";
  await deliver(event("file.ready", fileId, "2026-11-27T10:00:05Z", "ready"));
  await deliver(event("file.uploaded", fileId, "2026-11-27T10:00:01Z", "processing"));
  assert.equal(store.file(fileId).status, "ready");

  await deliver(event("file.deleted", fileId, "2026-11-27T10:05:00Z", "deleted"));
  await deliver(event("file.visibility-changed", fileId, "2026-11-27T10:06:00Z", "ready"));
  assert.equal(store.file(fileId).status, "deleted");
});

test("events of the same second go by the file's life: ready after uploaded", async () => {
  const fileId = "44444444-4444-4444-8444-444444444444";
  await deliver(event("file.ready", fileId, "2026-11-27T10:00:05Z", "ready"));
  await deliver(event("file.uploaded", fileId, "2026-11-27T10:00:05Z", "processing"));

  assert.equal(store.file(fileId).status, "ready");
});

test("the record survives a restart", async () => {
  const reopened = await new FileStore(join(directory, "files.json")).open();

  assert.equal(reopened.file("22222222-2222-4222-8222-222222222222").status, "ready");
});
