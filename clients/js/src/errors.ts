import type { FileView, Problem } from "./types.js";

/** An answer of mediagate's API that is not a success: its status and, for the API's own errors, its problem details. */
export class MediagateError extends Error {
  override readonly name: string = "MediagateError";

  constructor(
    message: string,
    /** The HTTP status (0 when the request never got an answer). */
    readonly status: number,
    /** The problem+json body (`type`, `title`, `status`, `detail`, `errors`), when the API sent one. */
    readonly problem?: Problem,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Each invalid field and what is wrong with it, for a `400`. */
  get fieldErrors(): { field: string; message: string }[] {
    return this.problem?.errors ?? [];
  }

  static async from(response: Response, what: string): Promise<MediagateError> {
    const text = await response.text().catch(() => "");
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const problem = isProblem(body) ? body : undefined;
    const gatewayMessage = !problem && body && typeof body === "object" && "message" in body ? String(body.message) : undefined;
    const detail = problem
      ? [problem.detail ?? problem.title, ...(problem.errors ?? []).map((error) => `${error.field} ${error.message}`)].join("; ")
      : gatewayMessage ?? (response.statusText || "no details");
    return new MediagateError(`${what}: ${response.status} ${detail}`, response.status, problem);
  }
}

/** `waitUntilReady` of a file the resizer refused: `reason` says why (`not-an-image`, `too-many-pixels`, …). */
export class FileRejectedError extends Error {
  override readonly name: string = "FileRejectedError";

  constructor(readonly view: FileView) {
    super(`${view.filename} was rejected: ${view.reason ?? "no reason given"}`);
  }

  get reason(): string | undefined {
    return this.view.reason;
  }
}

/** The error an aborted call rejects with (as fetch does): `name` is `AbortError`. */
export function abortError(signal?: AbortSignal): Error {
  if (signal?.reason instanceof Error) {
    return signal.reason;
  }
  return new DOMException("The upload was aborted.", "AbortError");
}

function isProblem(body: unknown): body is Problem {
  return !!body && typeof body === "object" && "title" in body && "status" in body;
}
