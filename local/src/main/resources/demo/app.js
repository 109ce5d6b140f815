"use strict";
// The local demo of mediagate's API: sign in with a dev token, upload straight to S3 with the presigned PUT (private or
// public) or, for large files, in parts that survive failures and a page reload, follow processing, show thumbnails
// through the CDN (signed cookies, or plain URLs for public files), change visibility, copy share links, download and
// delete.
(() => {
  if (location.hostname === "localhost") {
    // The CDN cookies are set for this page's host; the local edge is reached as 127.0.0.1.
    location.replace(location.href.replace("//localhost", "//127.0.0.1"));
    return;
  }
  const FORBIDDEN = new Set(["host", "content-length"]);
  // A multipart upload: parts in flight at once, a failed part's retries (with their backoff), URLs signed per call.
  const PARTS_IN_FLIGHT = 4;
  const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 16000];
  const URLS_PER_CALL = 100;
  // Unfinished multipart uploads, by owner and file, so a reload can resume them: {fileId, upload, name}.
  const RESUMABLE = "mediagate.resumable-uploads";
  const $ = (id) => document.getElementById(id);
  let token = null;
  let owner = null;
  const shownEvents = new Set();

  // The live feed of the signed-in user's events, newest first.
  async function pollEvents() {
    if (owner) {
      const events = await (await fetch("/_local/events", { cache: "no-store" })).json();
      events.filter((event) => event.data.owner === owner && !shownEvents.has(event.id)).forEach((event) => {
        shownEvents.add(event.id);
        const item = document.createElement("li");
        item.dataset.type = event.type;
        const reason = event.data.reason ? ` (${event.data.reason})` : "";
        item.textContent = `${event.timestamp} ${event.type}${reason} ${event.data.filename || event.data.fileId}`;
        $("events").prepend(item);
      });
    }
    setTimeout(pollEvents, 1000);
  }
  setTimeout(pollEvents, 1000);
  let config = null;

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      credentials: "same-origin",
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const detail = json && (json.errors ? json.errors.map((e) => `${e.field} ${e.message}`).join("; ") : json.detail || json.message);
      throw new Error(detail || `HTTP ${response.status}`);
    }
    return json;
  }

  $("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    const user = $("user").value.trim();
    const tokenResponse = await fetch(`/_local/token?sub=${encodeURIComponent(user)}`);
    if (!tokenResponse.ok) { $("who").textContent = "That user name is not allowed."; return; }
    token = (await tokenResponse.json()).token;
    config = config || await (await fetch("/_local/config")).json();
    await api("POST", "/cdn-cookies");
    owner = (await api("GET", "/me")).owner;
    $("events").replaceChildren();
    $("who").textContent = `Signed in as ${user}.`;
    $("files").disabled = false;
    $("gallery").replaceChildren();
    $("uploads").replaceChildren();
    showResumable();
  });

  function resumable() { return JSON.parse(localStorage.getItem(RESUMABLE) || "{}"); }
  function remember(key, entry) { localStorage.setItem(RESUMABLE, JSON.stringify({ ...resumable(), [key]: entry })); }
  function forget(key) { const all = resumable(); delete all[key]; localStorage.setItem(RESUMABLE, JSON.stringify(all)); }
  // The same file chosen again after a reload has the same name, size and modification time.
  function resumeKey(file) { return JSON.stringify([owner, file.name, file.size, file.lastModified]); }

  function showResumable() {
    const names = Object.entries(resumable()).filter(([key]) => JSON.parse(key)[0] === owner).map(([, entry]) => entry.name);
    $("resumable").textContent = names.length ? `Unfinished: ${names.join(", ")}. Choose the same file again to resume it.` : "";
  }

  const drop = $("drop");
  drop.addEventListener("keydown", (event) => {
    if ((event.key === "Enter" || event.key === " ") && !$("files").disabled) { event.preventDefault(); $("files").click(); }
  });
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    if (token) { [...event.dataTransfer.files].forEach(upload); }
  });
  $("files").addEventListener("change", (event) => { [...event.target.files].forEach(upload); event.target.value = ""; });

  async function upload(file) {
    const row = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = file.name;
    const progress = document.createElement("progress");
    progress.max = 100; progress.value = 0;
    progress.setAttribute("aria-label", `Upload progress of ${file.name}`);
    const state = document.createElement("span");
    const abort = document.createElement("button");
    abort.className = "secondary";
    abort.textContent = "Abort";
    abort.hidden = true;
    abort.setAttribute("aria-label", `Abort the upload of ${file.name}`);
    row.append(name, progress, state, abort);
    $("uploads").append(row);
    const show = (text, kind) => { state.textContent = text; state.className = `state-${kind}`; row.dataset.state = kind; };
    const key = resumeKey(file);
    try {
      show("awaiting-upload", "awaiting");
      let saved = resumable()[key];
      let held = [];
      if (saved) {
        try {
          held = (await api("GET", `/uploads/${saved.fileId}/parts?uploadId=${encodeURIComponent(saved.upload.uploadId)}`)).parts;
          row.dataset.resumedParts = String(held.length);
          show(`resuming: ${held.length} of ${saved.upload.partCount} parts already uploaded`, "uploading");
        } catch (gone) {
          forget(key);
          saved = null;
        }
      }
      let fileId = saved && saved.fileId;
      let upload = saved && saved.upload;
      if (!saved) {
        const visibility = $("upload-public").checked ? "public" : "private";
        const multipart = $("upload-multipart").checked || undefined;
        const created = await api("POST", "/uploads", { filename: file.name, contentType: file.type, size: file.size, visibility, multipart });
        fileId = created.fileId;
        upload = created.upload;
      }
      const onProgress = (percent) => { progress.value = percent; };
      if (upload.method === "multipart") {
        remember(key, { fileId, upload, name: file.name });
        const aborting = new AbortController();
        abort.hidden = false;
        abort.addEventListener("click", () => aborting.abort(), { once: true });
        row.dataset.fileId = fileId;
        try {
          await sendParts(fileId, upload, file, held, onProgress, aborting.signal, row);
        } catch (error) {
          if (!aborting.signal.aborted) { throw error; }
          await api("DELETE", `/uploads/${fileId}?uploadId=${encodeURIComponent(upload.uploadId)}`);
          forget(key);
          showResumable();
          abort.hidden = true;
          show("aborted", "aborted");
          return;
        }
        abort.hidden = true;
        forget(key);
        showResumable();
      } else {
        await put(upload, file, onProgress);
      }
      progress.value = 100;
      show("processing", "processing");
      const done = await follow(fileId);
      show(done.status === "ready" ? "ready" : `rejected: ${done.reason}`, done.status);
      if (done.status === "ready") { addTile(done); }
    } catch (error) {
      const again = resumable()[key] ? " (choose the file again to resume)" : "";
      show(`failed: ${error.message}${again}`, "failed");
      showResumable();
    }
  }

  // Sends the parts S3 does not hold yet, PARTS_IN_FLIGHT at once, each retried with backoff (and a fresh URL) when the
  // network or S3 fails it, then completes with every part's ETag. One progress bar for the whole file.
  async function sendParts(fileId, upload, file, held, onProgress, signal, row) {
    const etags = new Map(held.map((part) => [part.partNumber, part.etag]));
    const sent = new Map(held.map((part) => [part.partNumber, part.size]));
    const report = () => onProgress(Math.floor(100 * [...sent.values()].reduce((a, b) => a + b, 0) / file.size));
    report();
    const missing = [];
    for (let partNumber = 1; partNumber <= upload.partCount; partNumber++) {
      if (!etags.has(partNumber)) { missing.push(partNumber); }
    }
    row.dataset.retries = "0";
    const sign = async (partNumbers) => (await api("POST", `/uploads/${fileId}/parts`,
      { uploadId: upload.uploadId, partNumbers })).parts;
    for (let page = 0; page < missing.length; page += URLS_PER_CALL) {
      const urls = new Map((await sign(missing.slice(page, page + URLS_PER_CALL))).map((part) => [part.partNumber, part]));
      const queue = [...urls.keys()];
      const worker = async () => {
        while (queue.length) {
          if (signal.aborted) { throw new Error("aborted"); }
          const partNumber = queue.shift();
          etags.set(partNumber, await sendPart(file, upload, urls.get(partNumber), sent, report, signal, async () => {
            row.dataset.retries = String(Number(row.dataset.retries) + 1);
            return (await sign([partNumber]))[0];
          }));
        }
      };
      await Promise.all(Array.from({ length: PARTS_IN_FLIGHT }, worker));
    }
    const parts = [...etags.entries()].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }));
    await api("POST", `/uploads/${fileId}/complete`, { uploadId: upload.uploadId, parts });
  }

  async function sendPart(file, upload, signed, sent, report, signal, resign) {
    const start = (signed.partNumber - 1) * upload.partSize;
    const body = file.slice(start, start + signed.size);
    for (let attempt = 0; ; attempt++) {
      try {
        return await putPart(signed, body, (loaded) => { sent.set(signed.partNumber, loaded); report(); }, signal);
      } catch (error) {
        sent.set(signed.partNumber, 0);
        report();
        if (signal.aborted || attempt >= RETRY_DELAYS_MS.length) { throw error; }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
        signed = await resign();
      }
    }
  }

  function putPart(signed, body, onLoaded, signal) {
    return new Promise((resolve, reject) => {
      if (signal.aborted) { reject(new Error("aborted")); return; }
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", signed.url);
      Object.entries(signed.headers).forEach(([name, value]) => {
        if (!FORBIDDEN.has(name.toLowerCase())) { xhr.setRequestHeader(name, value); }
      });
      const stop = () => xhr.abort();
      signal.addEventListener("abort", stop, { once: true });
      xhr.upload.onprogress = (event) => onLoaded(event.loaded);
      xhr.onload = () => {
        signal.removeEventListener("abort", stop);
        const etag = xhr.getResponseHeader("ETag");
        if (xhr.status >= 200 && xhr.status < 300 && etag) { onLoaded(signed.size); resolve(etag); } else { reject(new Error(`S3 answered ${xhr.status} to part ${signed.partNumber}`)); }
      };
      xhr.onerror = () => { signal.removeEventListener("abort", stop); reject(new Error(`part ${signed.partNumber} did not reach S3`)); };
      xhr.onabort = () => reject(new Error("aborted"));
      xhr.send(body);
    });
  }

  $("by-url").addEventListener("submit", (event) => {
    event.preventDefault();
    const image = $("by-url-image");
    image.hidden = true;
    image.onload = () => { image.hidden = false; $("by-url-state").textContent = "loaded"; };
    image.onerror = () => { $("by-url-state").textContent = "not served: that file is not public"; };
    $("by-url-state").textContent = "loading";
    image.src = $("public-url").value;
  });

  function put(upload, file, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(upload.method, upload.url);
      Object.entries(upload.headers).forEach(([name, value]) => {
        if (!FORBIDDEN.has(name.toLowerCase())) { xhr.setRequestHeader(name, value); }
      });
      xhr.upload.onprogress = (event) => { if (event.lengthComputable) { onProgress(Math.round(100 * event.loaded / event.total)); } };
      xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`S3 answered ${xhr.status}`)));
      xhr.onerror = () => reject(new Error("the upload did not reach S3"));
      xhr.send(file);
    });
  }

  async function follow(fileId) {
    for (let attempt = 0; attempt < 120; attempt++) {
      const file = await api("GET", `/files/${fileId}`);
      if (file.status !== "processing") { return file; }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error("still processing after a minute");
  }

  function withoutQuery(url) { return url.split("?")[0]; }

  // A public file's variant URLs are plain and stable; a private one's are authorised by the CloudFront cookies.
  function thumbSource(file, variant) {
    return file.visibility === "public" ? variant.url : withoutQuery(variant.url);
  }

  function addTile(file, replacing) {
    const tile = document.createElement("li");
    tile.dataset.fileId = file.fileId;
    tile.dataset.visibility = file.visibility;
    const open = document.createElement("button");
    open.className = "thumb";
    open.setAttribute("aria-label", `Open ${file.filename}`);
    if (file.variants && file.variants.thumb) {
      const image = document.createElement("img");
      image.alt = file.filename;
      if (file.placeholder) { image.style.backgroundImage = `url("${file.placeholder}")`; }
      image.src = thumbSource(file, file.variants.thumb);
      // The WebP alternate where the browser takes it, the JPEG/PNG otherwise: <picture> picks by type.
      const picture = document.createElement("picture");
      const webp = (file.variants.thumb.alternates || {})["image/webp"];
      if (webp) {
        const source = document.createElement("source");
        source.type = "image/webp";
        source.srcset = thumbSource(file, webp);
        picture.append(source);
      }
      picture.append(image);
      open.append(picture);
      open.addEventListener("click", () => {
        const large = file.variants.large || file.variants.medium || file.variants.thumb;
        $("viewer-title").textContent = file.filename;
        $("viewer-image").alt = file.filename;
        $("viewer-image").src = thumbSource(file, large);
        $("viewer").showModal();
      });
    } else {
      open.textContent = file.contentType;
      open.disabled = true;
    }
    const caption = document.createElement("p");
    caption.className = "name";
    caption.textContent = file.filename;
    const download = document.createElement("a");
    download.href = file.original.url;
    download.textContent = "Download";
    const remove = document.createElement("button");
    remove.className = "secondary";
    remove.textContent = "Delete";
    remove.setAttribute("aria-label", `Delete ${file.filename}`);
    remove.addEventListener("click", async () => {
      await api("DELETE", `/files/${file.fileId}`);
      tile.remove();
    });
    const toggle = document.createElement("button");
    toggle.className = "secondary";
    toggle.textContent = file.visibility === "public" ? "Make private" : "Make public";
    toggle.setAttribute("aria-label", `${toggle.textContent}: ${file.filename}`);
    toggle.addEventListener("click", async () => {
      const changed = await api("PATCH", `/files/${file.fileId}`, { visibility: file.visibility === "public" ? "private" : "public" });
      addTile(changed, tile);
    });
    const share = document.createElement("button");
    share.className = "secondary";
    share.textContent = "Copy share link";
    share.setAttribute("aria-label", `Copy a share link to ${file.filename}`);
    share.addEventListener("click", async () => {
      const created = await api("POST", `/files/${file.fileId}/shares`, { expiresInSeconds: 86400 });
      $("share-link").value = created.url;
      try { await navigator.clipboard.writeText(created.url); } catch (ignored) { /* shown on the page instead */ }
    });
    const actions = document.createElement("div");
    actions.className = "actions";
    actions.append(download, toggle, share, remove);
    tile.append(open, caption, actions);
    if (file.visibility === "public" && file.variants && file.variants.thumb) {
      const link = document.createElement("input");
      link.readOnly = true;
      link.className = "public-url";
      link.value = file.variants.thumb.url;
      link.setAttribute("aria-label", `Public thumbnail URL of ${file.filename}`);
      tile.append(link);
    }
    if (replacing) { replacing.replaceWith(tile); } else { $("gallery").append(tile); }
  }
})();
