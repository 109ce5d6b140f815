// The whole loop against the local stack: a user uploads through the API with @mediagate/client, mediagate's
// webhooks reach this backend (verified, recorded), and its page shows the file's <picture> with URLs that the CDN
// edge serves.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Mediagate } from "@mediagate/client";
import { localStack, uniqueUser } from "../../../clients/js/test/support/local-stack.js";
import { createApp } from "../src/app.js";
import { FileStore } from "../src/store.js";
import { serviceTokenSource } from "../src/tokens.js";

const quiet = { info() {}, warn() {}, error() {} };
let directory;
let server;
let backendUrl;
let stack;
let store;

before(async () => {
  directory = await mkdtemp(join(tmpdir(), "example-backend-loop-"));
  // The port is known before the stack starts (it needs the webhook URL); the app answers once the secret is known.
  server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  backendUrl = `http://127.0.0.1:${server.address().port}`;
  stack = await localStack({ webhookUrl: `${backendUrl}/hooks/mediagate` });
  const { webhookSecret } = await stack.config();
  store = await new FileStore(join(directory, "files.json")).open();
  const mediagate = new Mediagate({ baseUrl: stack.apiUrl, getToken: serviceTokenSource({ MEDIAGATE_API_URL: stack.apiUrl }) });
  server.on("request", createApp({ webhookSecret, store, mediagate, log: quiet }));
});

after(async () => {
  await stack?.stop();
  server?.close();
  await rm(directory, { recursive: true, force: true });
});

async function until(condition, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test("an upload's webhooks reach the backend, whose page shows its picture from the CDN", async () => {
  const token = await stack.token(uniqueUser("backend-loop"));
  const user = new Mediagate({ baseUrl: stack.apiUrl, getToken: () => token });
  const photo = await readFile(new URL("../../../clients/js/test/fixtures/sunset.jpg", import.meta.url));

  const { fileId } = await user.upload(new File([photo], "sunset <1>.jpg", { type: "image/jpeg" }));
  await until(() => store.file(fileId)?.status === "ready", "file.ready at the backend");

  assert.equal(store.file(fileId).owner, await user.me());
  assert.deepEqual([store.file(fileId).width, store.file(fileId).height], [900, 600]);
  const page = await (await fetch(`${backendUrl}/`)).text();
  const item = new RegExp(`<li data-file-id="${fileId}"><picture>(.*?)</picture><p>sunset &lt;1&gt;.jpg</p></li>`).exec(page);
  assert.ok(item, "the page lists the file's picture");
  assert.match(item[1], /^<img src="[^"]+" srcset="[^"]+ 320w, [^"]+ 900w" sizes="[^"]+" width="900" height="600" alt="sunset &lt;1&gt;.jpg"/);
  const urls = [...item[1].matchAll(/(?:src|srcset)="([^"]+)"/g)]
    .flatMap((match) => match[1].replaceAll("&amp;", "&").split(", ").map((candidate) => candidate.split(" ")[0]));
  assert.equal(urls.length, 3, "the <img>'s src and its srcset's two widths (large is no wider than medium here)");
  for (const url of urls) {
    const response = await fetch(url);
    assert.equal(response.status, 200, new URL(url).pathname);
    assert.equal(response.headers.get("content-type"), "image/jpeg");
  }

  await user.delete(fileId);
  await until(() => store.file(fileId)?.status === "deleted", "file.deleted at the backend");
  assert.doesNotMatch(await (await fetch(`${backendUrl}/`)).text(), new RegExp(fileId));
});
