import { abortError } from "./errors.js";

/** Headers every HTTP client sets from the URL and the body, which browsers refuse to let a script set. */
const SET_BY_THE_CLIENT = new Set(["host", "content-length"]);

/**
 * What S3 answered to a PUT: its status, its ETag header (a part's, to complete with) and, for a refusal, S3's error
 * body (`<Error><Code>AccessDenied</Code><Message>Request has expired</Message>…`; empty when the browser may not read it).
 */
export interface PutAnswer {
  status: number;
  etag: string | null;
  error: string;
}

/** A PUT the network did not carry (no answer at all): worth retrying. */
export class NetworkFailure extends Error {
  override readonly name: string = "NetworkFailure";
}

/**
 * PUTs `body` to a presigned URL with exactly `headers`, reporting bytes sent. Browsers go through XMLHttpRequest,
 * whose upload events give progress; elsewhere (Node.js) fetch sends the bytes and progress comes at the end.
 */
export function put(
  url: string,
  headers: Record<string, string>,
  body: Blob,
  onProgress: (loaded: number) => void,
  signal: AbortSignal | undefined,
  fetchImpl: typeof fetch,
): Promise<PutAnswer> {
  const sent = Object.fromEntries(Object.entries(headers).filter(([name]) => !SET_BY_THE_CLIENT.has(name.toLowerCase())));
  if (typeof XMLHttpRequest === "function") {
    return putWithXhr(url, sent, body, onProgress, signal);
  }
  return putWithFetch(url, sent, body, onProgress, signal, fetchImpl);
}

function putWithXhr(url: string, headers: Record<string, string>, body: Blob, onProgress: (loaded: number) => void,
  signal?: AbortSignal): Promise<PutAnswer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const xhr = new XMLHttpRequest();
    const stop = () => xhr.abort();
    const done = () => signal?.removeEventListener("abort", stop);
    xhr.open("PUT", url);
    Object.entries(headers).forEach(([name, value]) => xhr.setRequestHeader(name, value));
    signal?.addEventListener("abort", stop, { once: true });
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      done();
      resolve({ status: xhr.status, etag: xhr.getResponseHeader("ETag"), error: xhr.status >= 300 ? xhr.responseText ?? "" : "" });
    };
    xhr.onerror = () => {
      done();
      reject(new NetworkFailure(`the PUT to ${new URL(url).host} got no answer`));
    };
    xhr.onabort = () => {
      done();
      reject(abortError(signal));
    };
    xhr.send(body);
  });
}

async function putWithFetch(url: string, headers: Record<string, string>, body: Blob, onProgress: (loaded: number) => void,
  signal: AbortSignal | undefined, fetchImpl: typeof fetch): Promise<PutAnswer> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method: "PUT", headers, body, signal: signal ?? null });
  } catch (error) {
    if (signal?.aborted) {
      throw abortError(signal);
    }
    throw new NetworkFailure(`the PUT to ${new URL(url).host} got no answer`, { cause: error });
  }
  const text = await response.text().catch(() => "");
  if (response.ok) {
    onProgress(body.size);
  }
  return { status: response.status, etag: response.headers.get("ETag"), error: response.ok ? "" : text };
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    signal?.addEventListener("abort", stop, { once: true });
  });
}
