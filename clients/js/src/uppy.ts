// Uppy (@uppy/core + @uppy/aws-s3) on mediagate, 5.x and 6.x. mediagate decides whether a file goes up as one PUT or
// in parts, and the part size, so each file's POST /uploads is made in a pre-processor before Uppy starts; then Uppy's
// S3 plugin sends the bytes straight to S3, and the multipart upload is completed through mediagate's checked route
// (every part against S3's, the total against the declared size, conditional). Nothing here imports Uppy: these
// functions return the plugin's options for the Uppy the app installed.
import type { Mediagate } from "./client.js";
import type { FileId, UploadCreated, Visibility } from "./types.js";

/** What these integrations use of an Uppy instance (5.x and 6.x alike). */
export interface UppyLike {
  addPreProcessor(fn: (fileIds: string[]) => Promise<void> | void): unknown;
  getFile(id: string): UppyFileLike | undefined;
  setFileMeta(id: string, meta: Record<string, unknown>): unknown;
  on(event: string, callback: (...args: never[]) => void): unknown;
}

export interface UppyFileLike {
  id: string;
  name?: string;
  type?: string;
  size: number | null;
  data: Blob;
  meta: Record<string, unknown>;
  /** A multipart upload Uppy restored (Golden Retriever) and resumes: its key is the file's mediagate id. */
  s3Multipart?: { key?: string; uploadId?: string };
}

export interface UppyIntegrationOptions {
  /** The visibility every file is uploaded with (`private` by default). */
  visibility?: Visibility;
  /** Files uploaded at once (and, with 5.x, parts of one file). */
  limit?: number;
}

/** The uploads POST /uploads answered, by Uppy file id; the file's mediagate id goes into its meta as `fileId`. */
class Uploads {
  readonly #created = new Map<string, UploadCreated>();
  // Uppy asks for a part size knowing only the file's size; the layout depends on the size alone.
  readonly #partSizes = new Map<number, number>();
  // Files whose multipart upload Uppy restored and resumes itself (from ListParts): never asked for again.
  readonly #resumed = new Set<string>();

  readonly #uppy: UppyLike;
  readonly #client: Mediagate;
  readonly #options: UppyIntegrationOptions;

  constructor(uppy: UppyLike, client: Mediagate, options: UppyIntegrationOptions) {
    this.#uppy = uppy;
    this.#client = client;
    this.#options = options;
    uppy.addPreProcessor(async (fileIds) => {
      for (const id of fileIds.filter((id) => !this.#created.has(id) && !this.#resumed.has(id))) {
        const file = uppy.getFile(id);
        if (!file) continue;
        const restored = file.s3Multipart;
        if (restored?.key && restored.uploadId && file.meta.fileId === restored.key) {
          this.#resumed.add(id);
          const partSize = Number(file.meta.partSize);
          if (partSize > 0) this.#partSizes.set(file.data.size, partSize);
          continue;
        }
        await this.#create(file);
      }
    });
  }

  async #create(file: UppyFileLike): Promise<UploadCreated> {
    const { id } = file;
    const uppy = this.#uppy;
    const created = await this.#client.createUpload({
      filename: file.name ?? "upload", contentType: file.type || "application/octet-stream", size: file.data.size,
      ...(this.#options.visibility ? { visibility: this.#options.visibility } : {}),
    });
    this.#created.set(id, created);
    if (created.upload.method === "multipart") {
      this.#partSizes.set(file.data.size, created.upload.partSize);
      // Kept with the file's meta, so that a restored file (Golden Retriever) finds its layout again.
      uppy.setFileMeta(id, { fileId: created.fileId, partSize: created.upload.partSize });
    } else {
      uppy.setFileMeta(id, { fileId: created.fileId });
    }
    return created;
  }

  /**
   * The file's single PUT, with a URL that has not expired. A URL past its `expiresAt` (a retry long after the first
   * attempt: S3 would answer 403 "Request has expired") is replaced by a new `POST /uploads`, which gives the file a
   * new mediagate id (the contract signs a single PUT there only), as the client's own upload does. A minute's margin
   * keeps a PUT from starting on a URL about to expire.
   */
  async freshPut(file: { id: string }): Promise<UploadCreated> {
    const created = this.of(file);
    if (created.upload.method !== "PUT") return created;
    const expiresAt = Date.parse(created.upload.expiresAt);
    if (Number.isNaN(expiresAt) || Date.now() < expiresAt - URL_MARGIN_MS) return created;
    const current = this.#uppy.getFile(file.id);
    if (!current) return created;
    return this.#create(current);
  }

  of(file: { id: string }): UploadCreated {
    const created = this.#created.get(file.id);
    if (!created) {
      throw new Error(`mediagate: no upload was asked for ${file.id} (was the file added before the integration?)`);
    }
    return created;
  }

  /** Whether the file goes up in parts (a restored multipart upload does). */
  isMultipart(file: { id: string }): boolean {
    return this.#resumed.has(file.id) || this.of(file).upload.method === "multipart";
  }

  /** The upload of a mediagate file id. */
  byFileId(fileId: FileId): UploadCreated | undefined {
    return [...this.#created.values()].find((created) => created.fileId === fileId);
  }

  /** {@link freshPut} of the Uppy file whose upload is this mediagate file id. */
  async freshPutOf(fileId: FileId): Promise<UploadCreated> {
    const entry = [...this.#created.entries()].find(([, created]) => created.fileId === fileId);
    if (!entry) throw new Error(`mediagate: no upload was asked for ${fileId}: add the file again`);
    return this.freshPut({ id: entry[0] });
  }

  partSize(size: number): number | undefined {
    return this.#partSizes.get(size);
  }
}

/**
 * The options of `@uppy/aws-s3` 5.x for mediagate: `uppy.use(AwsS3, uppy5(uppy, client))`. Uppy 5's callbacks map
 * onto mediagate's routes one to one; each file's `meta.fileId` is its mediagate id.
 */
export function uppy5(uppy: UppyLike, client: Mediagate, options: UppyIntegrationOptions = {}) {
  const uploads = new Uploads(uppy, client, options);
  const put = (file: { id: string }) => {
    const { upload } = uploads.of(file);
    if (upload.method !== "PUT") throw new Error("mediagate: this file goes up in parts");
    return upload;
  };
  return {
    limit: options.limit ?? 4,
    shouldUseMultipart: (file: { id: string }) => uploads.isMultipart(file),
    getChunkSize: (data: Blob) => uploads.partSize(data.size) ?? DEFAULT_PART_SIZE,
    getUploadParameters: async (file: { id: string }) => {
      await uploads.freshPut(file);
      const upload = put(file);
      return { method: "PUT" as const, url: upload.url, headers: upload.headers };
    },
    createMultipartUpload: (file: { id: string }) => {
      const created = uploads.of(file);
      if (created.upload.method !== "multipart") throw new Error("mediagate: this file goes up in one PUT");
      return { uploadId: created.upload.uploadId, key: created.fileId };
    },
    signPart: async (_file: unknown, { key, uploadId, partNumber }: { key: string; uploadId: string; partNumber: number }) => {
      const [part] = await client.signParts(key, uploadId, [partNumber]);
      if (!part) throw new Error(`mediagate: no URL for part ${partNumber}`);
      return { url: part.url, headers: part.headers };
    },
    listParts: async (_file: unknown, { key, uploadId }: { key: string; uploadId: string }) =>
      (await client.listParts(key, uploadId)).map((part) => ({ PartNumber: part.partNumber, Size: part.size, ETag: part.etag })),
    completeMultipartUpload: async (_file: unknown, { key, uploadId, parts }: { key: string; uploadId: string;
      parts: { PartNumber?: number; ETag?: string }[] }) => {
      await client.completeUpload(key, uploadId, parts.map((part) => ({ partNumber: part.PartNumber ?? 0, etag: part.ETag ?? "" })));
      return { location: `${client.baseUrl}/files/${key}` };
    },
    abortMultipartUpload: (_file: unknown, { key, uploadId }: { key: string; uploadId: string }) => client.abortUpload(key, uploadId),
  };
}

/** A request `@uppy/aws-s3` 6.x asks its `signRequest` to presign (its `PresignableRequest`). */
export interface S3Request {
  method: "GET" | "PUT" | "POST" | "DELETE";
  key: string;
  uploadId?: string;
  partNumber?: number;
  contentType?: string;
}

/**
 * The options of `@uppy/aws-s3` 6.x for mediagate: `uppy.use(AwsS3, uppy6(uppy, client))`.
 *
 * Uppy 6 presigns raw S3 requests (`signRequest`) and sends them itself. Only the bytes go to S3 that way: the single
 * PUT and each `UploadPart`, with the URLs mediagate signs (exact length, type, metadata, `If-None-Match`). The steps
 * mediagate's API owns are done through its routes inside `signRequest`, which then hands Uppy S3's XML answer as a
 * `data:` URL: `CreateMultipartUpload` (the API created the upload in `POST /uploads`), `ListParts`
 * (`GET …/parts`), `CompleteMultipartUpload` (`POST …/complete` with the ETags Uppy's parts got, checked there against
 * S3's and the declared size, completed conditionally) and `AbortMultipartUpload` (`DELETE …`). Uppy's own retries,
 * pause/resume and progress work as with any S3 signer. A Content-Security-Policy must allow
 * `connect-src data:`.
 */
export function uppy6(uppy: UppyLike, client: Mediagate, options: UppyIntegrationOptions = {}) {
  const uploads = new Uploads(uppy, client, options);
  // The ETag of every part Uppy sent or S3 listed, by mediagate file id: what the completion is asked with.
  const etags = new Map<string, Map<number, string>>();
  const remember = (fileId: string, partNumber: number, etag: string) => {
    if (!etags.has(fileId)) etags.set(fileId, new Map());
    etags.get(fileId)?.set(partNumber, etag);
  };
  uppy.on("s3-multipart:part-uploaded", ((file: UppyFileLike, part: { PartNumber: number; ETag: string }) => {
    const fileId = file.meta.fileId;
    if (typeof fileId === "string") remember(fileId, part.PartNumber, part.ETag);
  }) as (...args: never[]) => void);

  const signRequest = async (request: S3Request): Promise<{ url: string; key?: string; headers?: Record<string, string> }> => {
    const fileId = request.key;
    if (request.uploadId === undefined) {
      const created = uploads.byFileId(fileId);
      if (!created) throw new Error(`mediagate: no upload was asked for ${fileId}: add the file again`);
      if (request.method === "PUT" && created.upload.method === "PUT") {
        const fresh = await uploads.freshPutOf(fileId);
        if (fresh.upload.method !== "PUT") throw new Error(`mediagate: ${fileId} goes up in parts`);
        return { url: fresh.upload.url, key: fresh.fileId, headers: fresh.upload.headers };
      }
      if (request.method === "POST" && created.upload.method === "multipart") {
        return { url: xml(`<InitiateMultipartUploadResult><Key>${escapeXml(fileId)}</Key><UploadId>${escapeXml(created.upload.uploadId)}`
          + `</UploadId></InitiateMultipartUploadResult>`), key: fileId };
      }
      throw new Error(`mediagate: ${request.method} ${fileId} is not a step of its upload`);
    }
    const { uploadId } = request;
    if (request.method === "PUT" && request.partNumber !== undefined) {
      const [part] = await client.signParts(fileId, uploadId, [request.partNumber]);
      if (!part) throw new Error(`mediagate: no URL for part ${request.partNumber}`);
      return { url: part.url, headers: part.headers };
    }
    if (request.method === "GET") {
      const parts = await client.listParts(fileId, uploadId);
      parts.forEach((part) => remember(fileId, part.partNumber, part.etag));
      return { url: xml(`<ListPartsResult>${parts.map((part) => `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>`
        + `${escapeXml(part.etag)}</ETag><Size>${part.size}</Size></Part>`).join("")}</ListPartsResult>`) };
    }
    if (request.method === "POST") {
      const parts = [...etags.get(fileId) ?? []].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }));
      await client.completeUpload(fileId, uploadId, parts);
      etags.delete(fileId);
      return { url: xml(`<CompleteMultipartUploadResult><Location>${escapeXml(`${client.baseUrl}/files/${fileId}`)}</Location>`
        + `<Key>${escapeXml(fileId)}</Key></CompleteMultipartUploadResult>`) };
    }
    if (request.method === "DELETE") {
      await client.abortUpload(fileId, uploadId);
      etags.delete(fileId);
      return { url: xml("") };
    }
    throw new Error(`mediagate: ${request.method} is not a step of a multipart upload`);
  };

  return {
    limit: options.limit ?? 4,
    shouldUseMultipart: (file: { id: string }) => uploads.isMultipart(file),
    getChunkSize: ({ size }: { size: number }) => uploads.partSize(size) ?? DEFAULT_PART_SIZE,
    generateObjectKey: (file: { id: string }) => uploads.of(file).fileId,
    signRequest,
  };
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** How long before its `expiresAt` a single PUT's URL is no longer handed to Uppy (a PUT must not start on a URL about to expire). */
const URL_MARGIN_MS = 60_000;


/** S3's answer, as the response of a `data:` URL that Uppy "sends" the request to. */
function xml(body: string): string {
  return `data:application/xml;charset=utf-8,${encodeURIComponent(`<?xml version="1.0" encoding="UTF-8"?>${body}`)}`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
