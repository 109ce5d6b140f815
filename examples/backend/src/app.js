// The backend's routes: mediagate's webhooks in, a page of the users' ready pictures out.
import express from "express";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { pictureHtml } from "@mediagate/client";

/**
 * `webhookSecret`: the `whsec_…` secret mediagate signs with; `store`: a FileStore; `mediagate`: a client whose token
 * has the service scope (for POST /links).
 */
export function createApp({ webhookSecret, store, mediagate, log = console }) {
  const webhook = new Webhook(webhookSecret);
  const app = express();
  app.disable("x-powered-by");

  // The raw body: the signature covers the bytes as sent, not a re-serialised JSON.
  app.post("/hooks/mediagate", express.raw({ type: "application/json", limit: "256kb" }), async (req, res) => {
    let event;
    try {
      event = webhook.verify(req.body, req.headers);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      log.warn(`webhook refused: ${error.message}`);
      res.status(400).type("application/problem+json")
        .send({ type: "about:blank", title: "Invalid webhook", status: 400, detail: error.message });
      return;
    }
    if (!event?.data?.fileId || typeof event.id !== "string" || typeof event.timestamp !== "string") {
      res.status(400).type("application/problem+json")
        .send({ type: "about:blank", title: "Invalid webhook", status: 400, detail: "not a mediagate event" });
      return;
    }
    const outcome = await store.record(event);
    log.info(`${event.type} ${event.data.fileId}: ${outcome}`);
    // A 2xx is a delivery: a duplicate or a stale event is one too (mediagate would otherwise retry it for a day).
    res.sendStatus(204);
  });

  app.get("/", async (req, res) => {
    const files = store.ready();
    const page = files.length ? await mediagate.links(files.map(({ owner, fileId }) => ({ owner, fileId }))) : { files: [] };
    const items = page.files.map((entry, index) => {
      const file = files[index];
      if (entry.error || entry.status !== "ready") return "";
      // POST /links gives the variants' URLs; the dimensions are the record's, from the events.
      const shown = entry.variants ? pictureHtml(entry, { alt: file.filename, sizes: "(min-width: 700px) 320px, 100vw",
        width: file.width ?? undefined, height: file.height ?? undefined })
        : `<a href="${escape(entry.original.url)}" download>${escape(file.filename)}</a>`;
      return `<li data-file-id="${escape(file.fileId)}">${shown}<p>${escape(file.filename)}</p></li>`;
    });
    res.set("Cache-Control", "private, no-store").type("html").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pictures</title>
<style>body{font-family:system-ui;margin:2rem}ul{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;padding:0}img{max-width:320px;height:auto}</style>
</head><body><h1>Pictures</h1><ul>${items.join("")}</ul></body></html>`);
  });

  app.use((error, req, res, next) => {
    log.error(error);
    res.status(500).type("application/problem+json")
      .send({ type: "about:blank", title: "Internal Server Error", status: 500, detail: "The request could not be completed." });
  });
  return app;
}

function escape(text) {
  return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
