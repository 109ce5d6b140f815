// The local demo of mediagate's API, on @mediagate/client (served by the local stack at /client/): sign in with a dev
// token, upload straight to S3 with the presigned PUT (private or public) or, for large files, in parts that survive
// failures and a page reload, follow processing, show thumbnails through the CDN (signed cookies, or plain URLs for
// public files), change visibility, copy share links, download and delete.
import { FileRejectedError, Mediagate } from "/client/index.js";

if (location.hostname === "localhost") {
  // The CDN cookies are set for this page's host; the local edge is reached as 127.0.0.1.
  location.replace(location.href.replace("//localhost", "//127.0.0.1"));
} else {
  const $ = (id) => document.getElementById(id);
  let token = null;
  let owner = null;
  // The signed-in user's client; unfinished multipart uploads are kept in localStorage per user (resumeScope).
  let client = null;
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

  $("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    const user = $("user").value.trim();
    const tokenResponse = await fetch(`/_local/token?sub=${encodeURIComponent(user)}`);
    if (!tokenResponse.ok) { $("who").textContent = "That user name is not allowed."; return; }
    token = (await tokenResponse.json()).token;
    const signedIn = new Mediagate({ baseUrl: location.origin, getToken: () => token });
    await signedIn.cdnCookies();
    owner = await signedIn.me();
    client = new Mediagate({ baseUrl: location.origin, getToken: () => token, resumeScope: owner });
    $("events").replaceChildren();
    $("who").textContent = `Signed in as ${user}.`;
    $("files").disabled = false;
    $("gallery").replaceChildren();
    $("uploads").replaceChildren();
    showResumable();
  });

  // The same file chosen again after a reload (same name, size and modification time) resumes where it stopped.
  async function showResumable() {
    const names = (await client.resumableUploads()).map((entry) => entry.name);
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
    const aborting = new AbortController();
    abort.addEventListener("click", () => aborting.abort(), { once: true });
    try {
      show("awaiting-upload", "awaiting");
      const { fileId } = await client.upload(file, {
        visibility: $("upload-public").checked ? "public" : "private",
        multipart: $("upload-multipart").checked || undefined,
        signal: aborting.signal,
        onStart: (start) => {
          row.dataset.fileId = start.fileId;
          if (start.method === "multipart") {
            abort.hidden = false;
            row.dataset.retries = "0";
            row.dataset.resumedParts = String(start.resumedParts);
            if (start.resumedParts) {
              show(`resuming: ${start.resumedParts} of ${start.partCount} parts already uploaded`, "uploading");
            }
            showResumable();
          }
        },
        onProgress: ({ loaded, total }) => { progress.value = Math.floor(100 * loaded / total); },
        onRetry: () => { row.dataset.retries = String(Number(row.dataset.retries) + 1); },
      });
      abort.hidden = true;
      showResumable();
      progress.value = 100;
      show("processing", "processing");
      addTile(await client.waitUntilReady(fileId));
      show("ready", "ready");
    } catch (error) {
      abort.hidden = true;
      await showResumable();
      if (error.name === "AbortError") {
        show("aborted", "aborted");
      } else if (error instanceof FileRejectedError) {
        show(`rejected: ${error.reason}`, "rejected");
      } else {
        const again = $("resumable").textContent.includes(file.name) ? " (choose the file again to resume)" : "";
        show(`failed: ${error.message}${again}`, "failed");
      }
    }
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
      await client.delete(file.fileId);
      tile.remove();
    });
    const toggle = document.createElement("button");
    toggle.className = "secondary";
    toggle.textContent = file.visibility === "public" ? "Make private" : "Make public";
    toggle.setAttribute("aria-label", `${toggle.textContent}: ${file.filename}`);
    toggle.addEventListener("click", async () => {
      const changed = await client.setVisibility(file.fileId, file.visibility === "public" ? "private" : "public");
      addTile(changed, tile);
    });
    const share = document.createElement("button");
    share.className = "secondary";
    share.textContent = "Copy share link";
    share.setAttribute("aria-label", `Copy a share link to ${file.filename}`);
    share.addEventListener("click", async () => {
      const created = await client.share(file.fileId, { expiresInSeconds: 86400 });
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
}
