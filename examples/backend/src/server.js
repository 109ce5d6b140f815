// node src/server.js: the example backend. MEDIAGATE_API_URL (http://127.0.0.1:3000), WEBHOOK_SECRET (whsec_…; the
// local stack's is in GET /_local/config), PORT (8080), DATA_FILE (files.json), and a service token source
// (src/tokens.js).
import { Mediagate } from "@mediagate/client";
import { createApp } from "./app.js";
import { FileStore } from "./store.js";
import { serviceTokenSource } from "./tokens.js";

const api = process.env.MEDIAGATE_API_URL ?? "http://127.0.0.1:3000";
const webhookSecret = process.env.WEBHOOK_SECRET;
if (!webhookSecret?.startsWith("whsec_")) {
  console.error("WEBHOOK_SECRET must be set to mediagate's webhook secret (whsec_…)");
  process.exit(2);
}
const store = await new FileStore(process.env.DATA_FILE ?? "files.json").open();
const mediagate = new Mediagate({ baseUrl: api, getToken: serviceTokenSource() });
const port = Number(process.env.PORT ?? 8080);
createApp({ webhookSecret, store, mediagate }).listen(port, "127.0.0.1", () => {
  console.log(`example backend on http://127.0.0.1:${port}/ (webhooks at /hooks/mediagate)`);
});
