import { FileRejectedError, MediagateError, abortError } from "./errors.js";
import { type ResumeEntry, type ResumeStore, defaultResumeStore, resumeKey } from "./resume.js";
import { NetworkFailure, type PutAnswer, pause, put } from "./transfer.js";
import type {
  Caller, Completed, FileId, FileView, Focus, LinksPage, LinksRequest, MultipartUpload, Owner, ShareCreated, ShareList,
  SharedFileView, SignedPart, SignedParts, SinglePutUpload, StoredPart, StoredParts, UploadCreated, UploadRequest, Visibility,
} from "./types.js";

/** How the client reaches mediagate. */
export interface MediagateOptions {
  /** The API's base URL, e.g. `https://api.example.com` (the local stack: `http://127.0.0.1:3000`). */
  baseUrl: string;
  /** The bearer token of the signed-in user (or the app's backend), asked for before each call. */
  getToken: () => string | Promise<string>;
  /**
   * For the app's backend (a token with the service scope): the owner whose files the calls are about; the routes
   * become `/owners/{owner}/…`.
   */
  owner?: Owner;
  /** Where unfinished multipart uploads are kept for resuming; `localStorage` in browsers, memory elsewhere. */
  resumeStore?: ResumeStore;
  /** Keeps two users of one browser apart in the resume store (e.g. the owner `GET /me` answers). */
  resumeScope?: string;
  /** Parts sent at once (4). */
  concurrency?: number;
  /**
   * Pauses before each retry of a failed part or call, in ms (each waited between half and all of it, at random);
   * their number is the number of retries.
   */
  retryDelays?: number[];
  /** The fetch to call the API (and, outside browsers, S3) with: the global one by default. */
  fetch?: typeof fetch;
}

/** What `upload` tells as it goes. */
export interface UploadOptions {
  /** The name saved with the file (a `File`'s own name by default). */
  filename?: string;
  /** The declared type (the `Blob`'s own `type` by default); must be one of the stack's allowed types. */
  contentType?: string;
  visibility?: Visibility;
  /** `true` asks for a multipart upload whatever the size (the server decides above its threshold). */
  multipart?: boolean;
  /** Base64 of the bytes' SHA-256: S3 then refuses any other bytes (single PUT only). */
  checksumSha256?: string;
  /** Bytes sent so far, of `total`. */
  onProgress?: (progress: { loaded: number; total: number }) => void;
  /**
   * Once the server has answered: the file's id, how it goes up, and how many parts S3 already held (a resume). Told
   * again, with a new id, when a single PUT's URL expired and a fresh one was asked for.
   */
  onStart?: (start: { fileId: FileId; method: "PUT" | "multipart"; uploadId?: string; resumedParts: number; partCount: number }) => void;
  /** Before each retry of a part that failed (the network, S3 5xx, an expired URL): a fresh URL is asked for. */
  onRetry?: (retry: { partNumber: number; attempt: number; error: unknown }) => void;
  /** Aborts the upload: a multipart upload is aborted at S3 and forgotten; the promise rejects with an `AbortError`. */
  signal?: AbortSignal;
}

/** An uploaded file: S3 holds it, processing has started. */
export interface Uploaded {
  fileId: FileId;
  status: "processing";
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** How long to wait before rejecting (2 minutes). */
  timeoutMs?: number;
}

const DEFAULT_RETRY_DELAYS = [500, 1000, 2000, 4000, 8000, 16000];
const URLS_PER_CALL = 100;
/** Fresh URLs asked for a single PUT whose URL expired before S3 took it (each PUT retried as usual). */
const MAX_FRESH_PUT_URLS = 3;

/**
 * mediagate's API for a frontend (or, with `owner`, a backend): uploads straight to S3 — one PUT, or parts in parallel
 * with retries and fresh URLs, resumable after a reload from what S3 holds — then the file's views, visibility,
 * focus, shares and removal.
 */
export class Mediagate {
  readonly #baseUrl: string;
  readonly #getToken: () => string | Promise<string>;
  readonly #owner: Owner | undefined;
  readonly #store: ResumeStore;
  readonly #scope: string;
  readonly #concurrency: number;
  readonly #retryDelays: number[];
  readonly #fetch: typeof fetch;

  constructor(options: MediagateOptions) {
    if (!options?.baseUrl || typeof options.getToken !== "function") {
      throw new TypeError("new Mediagate({ baseUrl, getToken }): both are required");
    }
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#getToken = options.getToken;
    this.#owner = options.owner;
    this.#store = options.resumeStore ?? defaultResumeStore();
    this.#scope = options.resumeScope ?? options.owner ?? "";
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#retryDelays = options.retryDelays ?? DEFAULT_RETRY_DELAYS;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The same API as another owner (a backend's service token): `/owners/{owner}/…`. */
  forOwner(owner: Owner): Mediagate {
    return new Mediagate({ baseUrl: this.#baseUrl, getToken: this.#getToken, owner, resumeStore: this.#store,
      concurrency: this.#concurrency, retryDelays: this.#retryDelays, fetch: this.#fetch });
  }

  /**
   * Uploads a file (a `File` or any `Blob`): one presigned PUT, or — when the server says so (above its threshold,
   * or `multipart: true`) — parts sent `concurrency` at a time, each failed part retried with a fresh URL. An
   * unfinished multipart upload is remembered: uploading the same file again (after a reload) sends only the parts
   * S3 does not hold yet. Resolves once S3 holds the whole file.
   */
  async upload(file: Blob, options: UploadOptions = {}): Promise<Uploaded> {
    const { signal } = options;
    const name = options.filename ?? ("name" in file && typeof file.name === "string" ? file.name : "");
    const contentType = options.contentType ?? file.type;
    if (!name || !contentType) {
      throw new TypeError("upload needs a filename and a contentType (a File has both)");
    }
    const key = resumeKey(this.#scope, name, file);
    const report = (loaded: number) => options.onProgress?.({ loaded: Math.min(loaded, file.size), total: file.size });
    let entry = await this.#store.get(key);
    let held: StoredPart[] = [];
    if (entry) {
      try {
        held = await this.listParts(entry.fileId, entry.upload.uploadId, { signal });
      } catch (error) {
        if (!(error instanceof MediagateError && error.status === 404)) {
          throw error;
        }
        // Aborted, completed or expired meanwhile: start again.
        await this.#store.delete(key);
        entry = undefined;
      }
    }
    if (!entry) {
      const request: UploadRequest = { filename: name, contentType, size: file.size };
      if (options.visibility) request.visibility = options.visibility;
      if (options.multipart) request.multipart = true;
      if (options.checksumSha256) request.checksumSha256 = options.checksumSha256;
      let created = await this.createUpload(request, { signal });
      for (let freshUrls = 0; created.upload.method === "PUT"; freshUrls++) {
        options.onStart?.({ fileId: created.fileId, method: "PUT", resumedParts: 0, partCount: 1 });
        const put = await this.#putWhole(created.fileId, created.upload, file, report, signal);
        if (put.stored) {
          report(file.size);
          return { fileId: put.fileId, status: "processing" };
        }
        if (freshUrls >= MAX_FRESH_PUT_URLS) {
          throw new MediagateError(`S3 refused the upload of the file: its URL had expired, ${freshUrls + 1} times`, 403);
        }
        // A single PUT's URL cannot be signed again: the contract has no route for it, and POST /uploads stores
        // nothing until S3 holds the bytes, so the file gets a new id and the expired one never exists (its GET is
        // 404). onStart tells the new id.
        created = await this.createUpload(request, { signal });
      }
      entry = { fileId: created.fileId, upload: created.upload, name };
      await this.#store.set(key, entry);
    }
    const current = entry;
    options.onStart?.({ fileId: current.fileId, method: "multipart", uploadId: current.upload.uploadId, resumedParts: held.length,
      partCount: current.upload.partCount });
    try {
      await this.#sendParts(current, file, held, report, options);
    } catch (error) {
      if (signal?.aborted) {
        await this.abortUpload(current.fileId, current.upload.uploadId).catch(() => undefined);
        await this.#store.delete(key);
      }
      throw error;
    }
    await this.#store.delete(key);
    report(file.size);
    return { fileId: current.fileId, status: "processing" };
  }

  /** The unfinished multipart uploads this client can resume (in its scope): choose the same file again to resume one. */
  async resumableUploads(): Promise<ResumeEntry[]> {
    const mine: ResumeEntry[] = [];
    for (const [key, entry] of await this.#store.entries()) {
      if ((JSON.parse(key) as unknown[])[0] === this.#scope) {
        mine.push(entry);
      }
    }
    return mine;
  }

  /** `POST /uploads`: an upload URL, or a multipart upload (the server decides); `upload` does the rest itself. */
  createUpload(request: UploadRequest, options: { signal?: AbortSignal } = {}): Promise<UploadCreated> {
    return this.#call<UploadCreated>("POST", this.#uploadsPath(), request, { signal: options.signal });
  }

  /** Presigned URLs of these parts of a multipart upload (1–100 at a time). */
  async signParts(fileId: FileId, uploadId: string, partNumbers: number[], options: { signal?: AbortSignal } = {}): Promise<SignedPart[]> {
    return (await this.#call<SignedParts>("POST", `${this.#uploadsPath()}/${encodeURIComponent(fileId)}/parts`,
      { uploadId, partNumbers }, { signal: options.signal, retry: true })).parts;
  }

  /** The parts S3 holds of a multipart upload. */
  async listParts(fileId: FileId, uploadId: string, options: { signal?: AbortSignal } = {}): Promise<StoredPart[]> {
    return (await this.#call<StoredParts>("GET", `${this.#uploadsPath()}/${encodeURIComponent(fileId)}/parts?uploadId=`
      + encodeURIComponent(uploadId), undefined, { signal: options.signal, retry: true })).parts;
  }

  /** Completes a multipart upload; the API checks every part against S3's and the total against the declared size. */
  completeUpload(fileId: FileId, uploadId: string, parts: { partNumber: number; etag: string }[],
    options: { signal?: AbortSignal } = {}): Promise<Completed> {
    return this.#call<Completed>("POST", `${this.#uploadsPath()}/${encodeURIComponent(fileId)}/complete`,
      { uploadId, parts }, { signal: options.signal, retry: true });
  }

  /** The API's base URL, without a trailing slash. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** Aborts a multipart upload at S3 (its parts are dropped); later calls about it are `404`. */
  async abortUpload(fileId: FileId, uploadId: string): Promise<void> {
    await this.#call<void>("DELETE", `${this.#uploadsPath()}/${encodeURIComponent(fileId)}?uploadId=${encodeURIComponent(uploadId)}`);
  }

  /** The file's status and, once ready, its signed URLs. */
  file(fileId: FileId, options: { signal?: AbortSignal } = {}): Promise<FileView> {
    return this.#call<FileView>("GET", this.#filePath(fileId), undefined, { signal: options.signal, retry: true });
  }

  /**
   * Polls the file until it is processed: resolves with its view when `ready`, rejects with a `FileRejectedError`
   * (its `reason`) when the resizer refused it, or with a `TimeoutError` after `timeoutMs`.
   */
  async waitUntilReady(fileId: FileId, options: WaitOptions = {}): Promise<FileView> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (let interval = 250; ; interval = Math.min(Math.round(interval * 1.5), 3000)) {
      const view = await this.file(fileId, { signal: options.signal });
      if (view.status === "ready") {
        return view;
      }
      if (view.status === "rejected") {
        throw new FileRejectedError(view);
      }
      if (Date.now() + interval > deadline) {
        throw new DOMException(`${view.filename} is still processing`, "TimeoutError");
      }
      await pause(interval, options.signal);
    }
  }

  /** Public: variants at plain, stable CDN URLs (the original stays private). Private: only signed URLs reach them. */
  setVisibility(fileId: FileId, visibility: Visibility): Promise<FileView> {
    return this.#call<FileView>("PATCH", this.#filePath(fileId), { visibility });
  }

  /** The focal point `:cover` variants are cropped around (`null` for the centre). */
  setFocus(fileId: FileId, focus: Focus | null): Promise<FileView> {
    return this.#call<FileView>("PATCH", this.#filePath(fileId), { focus });
  }

  /** A link that opens the file for anyone holding it, for `expiresInSeconds` (a week by default). */
  share(fileId: FileId, options: { expiresInSeconds?: number } = {}): Promise<ShareCreated> {
    return this.#call<ShareCreated>("POST", `${this.#filePath(fileId)}/shares`,
      options.expiresInSeconds === undefined ? {} : { expiresInSeconds: options.expiresInSeconds });
  }

  async shares(fileId: FileId): Promise<ShareList["shares"]> {
    return (await this.#call<ShareList>("GET", `${this.#filePath(fileId)}/shares`, undefined, { retry: true })).shares;
  }

  revokeShare(fileId: FileId, shareId: string): Promise<void> {
    return this.#call<void>("DELETE", `${this.#filePath(fileId)}/shares/${encodeURIComponent(shareId)}`);
  }

  /** What a share link's holder sees (no token needed). */
  openShare(url: string): Promise<SharedFileView> {
    return this.#call<SharedFileView>("GET", url, undefined, { auth: false, retry: true });
  }

  /** Deletes the file, its variants, public copies and share links: final. */
  delete(fileId: FileId): Promise<void> {
    return this.#call<void>("DELETE", this.#filePath(fileId));
  }

  /** The caller's owner, for the app's backend. */
  async me(): Promise<Owner> {
    return (await this.#call<Caller>("GET", "/me", undefined, { retry: true })).owner;
  }

  /** Sets the CloudFront cookies for the caller's variants (when API and CDN share a parent domain). */
  cdnCookies(): Promise<void> {
    return this.#call<void>("POST", "/cdn-cookies", undefined, { credentials: "include" });
  }

  /** Signed URLs for a page of up to 100 files of any owners (a service token). */
  links(files: LinksRequest["files"], options: { variants?: string[] } = {}): Promise<LinksPage> {
    const request: LinksRequest = { files };
    if (options.variants) request.variants = options.variants;
    return this.#call<LinksPage>("POST", "/links", request, { retry: true });
  }

  /**
   * The pause before retry number `attempt + 1`: between half and all of its `retryDelays` step. Clients refused
   * together (a throttle's burst spent, S3's Slow Down) would otherwise all come back at the same instant and be
   * refused together again; AWS's advice for a 429 is "jittered exponential backoff"
   * (https://repost.aws/knowledge-center/api-gateway-429-limit).
   */
  #backoff(attempt: number): number {
    const step = this.#retryDelays[attempt] ?? 0;
    return step / 2 + Math.random() * step / 2;
  }

  #uploadsPath(): string {
    return this.#owner ? `/owners/${encodeURIComponent(this.#owner)}/uploads` : "/uploads";
  }

  #filePath(fileId: FileId): string {
    return `${this.#owner ? `/owners/${encodeURIComponent(this.#owner)}` : ""}/files/${encodeURIComponent(fileId)}`;
  }

  /**
   * One PUT, sent again with the same URL after a network failure, S3's `503 Slow Down` or another 5xx. A PUT whose
   * answer was lost (or a 5xx) and that S3 then refuses with 412 (If-None-Match) had landed. `stored: false` when the
   * URL has expired (S3's `403 AccessDenied`, "Request has expired"): the caller asks for a fresh one — unless an
   * earlier attempt had landed after all, which the file's status tells. Any other 403 is final: the same request
   * signed again would be refused again.
   */
  async #putWhole(fileId: FileId, upload: SinglePutUpload, file: Blob, report: (loaded: number) => void,
    signal?: AbortSignal): Promise<{ stored: boolean; fileId: FileId }> {
    for (let attempt = 0; ; attempt++) {
      let answer: PutAnswer;
      try {
        answer = await put(upload.url, upload.headers, file, report, signal, this.#fetch);
      } catch (error) {
        if (signal?.aborted || !(error instanceof NetworkFailure) || attempt >= this.#retryDelays.length) throw error;
        await pause(this.#backoff(attempt), signal);
        continue;
      }
      const { status } = answer;
      if (status >= 200 && status < 300 || status === 412 && attempt > 0) {
        return { stored: true, fileId };
      }
      if (status === 403 && expired(answer, upload)) {
        return { stored: attempt > 0 && await this.#uploaded(fileId, signal), fileId };
      }
      if (status === 403 || !retryable(status) || attempt >= this.#retryDelays.length) {
        throw new MediagateError(`S3 answered ${status} to the upload of the file${s3Error(answer.error)}`, status);
      }
      await pause(this.#backoff(attempt), signal);
    }
  }

  /** Whether S3 holds the file's original (the API answers its status; 404 until it is uploaded). */
  async #uploaded(fileId: FileId, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.file(fileId, { signal });
      return true;
    } catch (error) {
      if (error instanceof MediagateError && error.status === 404) return false;
      throw error;
    }
  }

  async #sendParts(entry: ResumeEntry, file: Blob, held: StoredPart[], report: (loaded: number) => void,
    options: UploadOptions): Promise<void> {
    const { upload } = entry;
    const { signal } = options;
    const etags = new Map<number, string>();
    const sent = new Map<number, number>();
    for (const part of held) {
      // A part S3 holds with another length than the layout's is sent again.
      if (part.size === partSize(upload, file.size, part.partNumber)) {
        etags.set(part.partNumber, part.etag);
        sent.set(part.partNumber, part.size);
      }
    }
    const progress = () => report([...sent.values()].reduce((sum, bytes) => sum + bytes, 0));
    progress();
    const missing: number[] = [];
    for (let partNumber = 1; partNumber <= upload.partCount; partNumber++) {
      if (!etags.has(partNumber)) missing.push(partNumber);
    }
    for (let page = 0; page < missing.length; page += URLS_PER_CALL) {
      const urls = new Map((await this.signParts(entry.fileId, upload.uploadId, missing.slice(page, page + URLS_PER_CALL), { signal }))
        .map((part) => [part.partNumber, part]));
      const queue = [...urls.keys()];
      let failed: unknown;
      const worker = async () => {
        while (queue.length && failed === undefined) {
          if (signal?.aborted) throw abortError(signal);
          const partNumber = queue.shift() as number;
          try {
            etags.set(partNumber, await this.#sendPart(entry, file, urls.get(partNumber) as SignedPart, sent, progress, options));
          } catch (error) {
            failed ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.#concurrency, queue.length) }, worker));
      if (failed !== undefined) throw signal?.aborted ? abortError(signal) : failed;
    }
    const parts = [...etags].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }));
    await this.completeUpload(entry.fileId, upload.uploadId, parts, { signal });
  }

  async #sendPart(entry: ResumeEntry, file: Blob, signed: SignedPart, sent: Map<number, number>, progress: () => void,
    options: UploadOptions): Promise<string> {
    const { signal } = options;
    const start = (signed.partNumber - 1) * entry.upload.partSize;
    const body = file.slice(start, start + signed.size);
    let url = signed;
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      try {
        const answer = await put(url.url, url.headers, body, (loaded) => {
          sent.set(signed.partNumber, loaded);
          progress();
        }, signal, this.#fetch);
        if (answer.status >= 200 && answer.status < 300 && answer.etag) {
          sent.set(signed.partNumber, signed.size);
          progress();
          return answer.etag;
        }
        failure = new MediagateError(`S3 answered ${answer.status} to part ${signed.partNumber}`, answer.status);
        if (!retryable(answer.status)) throw failure;
      } catch (error) {
        if (signal?.aborted) throw abortError(signal);
        if (!(error instanceof NetworkFailure) && error !== failure) throw error;
        failure = error;
      }
      sent.set(signed.partNumber, 0);
      progress();
      if (attempt >= this.#retryDelays.length) throw failure;
      options.onRetry?.({ partNumber: signed.partNumber, attempt: attempt + 1, error: failure });
      await pause(this.#backoff(attempt), signal);
      // A fresh URL: the last one may have expired, or the failure may have been its own.
      url = (await this.signParts(entry.fileId, entry.upload.uploadId, [signed.partNumber], { signal }))[0] as SignedPart;
    }
  }

  async #call<T>(method: string, path: string, body?: unknown,
    options: { signal?: AbortSignal | undefined; auth?: boolean; retry?: boolean; credentials?: RequestCredentials } = {}): Promise<T> {
    const url = /^https?:\/\//.test(path) ? path : this.#baseUrl + path;
    const what = `${method} ${new URL(url).pathname}`;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {};
      if (options.auth !== false) headers.Authorization = `Bearer ${await this.#getToken()}`;
      if (body !== undefined) headers["Content-Type"] = "application/json";
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method, headers, body: body === undefined ? null : JSON.stringify(body), signal: options.signal ?? null,
          ...(options.credentials ? { credentials: options.credentials } : {}),
        });
      } catch (error) {
        if (options.signal?.aborted) throw abortError(options.signal);
        if (!options.retry || attempt >= this.#retryDelays.length) {
          throw new MediagateError(`${what}: no answer`, 0, undefined, { cause: error });
        }
        await pause(this.#backoff(attempt), options.signal);
        continue;
      }
      if (response.ok) {
        const text = response.status === 204 ? "" : await response.text();
        return (text ? JSON.parse(text) : undefined) as T;
      }
      // A 429 is retried for every call, POST included: API Gateway's throttle (and the API's own limit) refuses the
      // request before anything is done. The pause is the server's Retry-After when it gives a longer one.
      const again = response.status === 429 || options.retry && retryable(response.status) && response.status !== 403;
      if (again && attempt < this.#retryDelays.length) {
        const wait = Math.max(this.#backoff(attempt), retryAfterMs(response.headers.get("Retry-After")));
        await response.arrayBuffer().catch(() => undefined);
        await pause(wait, options.signal);
        continue;
      }
      throw await MediagateError.from(response, what);
    }
  }
}

/** The exact length of a part in the server's layout (the last one the remainder). */
function partSize(upload: MultipartUpload, size: number, partNumber: number): number {
  return partNumber < upload.partCount ? upload.partSize : size - upload.partSize * (upload.partCount - 1);
}

/** `Retry-After` (delay-seconds or an HTTP-date) in ms; 0 when absent or unreadable. */
function retryAfterMs(value: string | null, now: number = Date.now()): number {
  if (!value) return 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}

/**
 * Whether S3 refused a PUT because its URL expired: S3 says so (`AccessDenied`, "Request has expired"), or — when the
 * browser may not read S3's answer — the URL's `expiresAt` has passed by this machine's clock.
 */
function expired(answer: PutAnswer, upload: SinglePutUpload, now: number = Date.now()): boolean {
  if (/<Code>AccessDenied<\/Code>/.test(answer.error) && /Request has expired/i.test(answer.error)) return true;
  const expiresAt = Date.parse(upload.expiresAt);
  return !answer.error && !Number.isNaN(expiresAt) && now >= expiresAt;
}

/** S3's error code and message, for an error's text (never the request's URL: it carries a signature). */
function s3Error(body: string): string {
  const code = /<Code>([^<]{1,100})<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]{1,200})<\/Message>/.exec(body)?.[1];
  return code ? `: ${code}${message ? ` (${message})` : ""}` : "";
}

/** Worth another try: S3 or the API busy or failing, an expired URL (S3's 403), a timeout. */
function retryable(status: number): boolean {
  return status === 403 || status === 408 || status === 429 || status >= 500;
}
