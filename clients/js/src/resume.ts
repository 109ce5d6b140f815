import type { FileId, MultipartUpload } from "./types.js";

/** An unfinished multipart upload, kept so that choosing the same file again (after a reload) resumes it. */
export interface ResumeEntry {
  fileId: FileId;
  upload: MultipartUpload;
  name: string;
}

/** Where unfinished multipart uploads are kept: `localStorage` in browsers by default, memory elsewhere. */
export interface ResumeStore {
  get(key: string): ResumeEntry | undefined | Promise<ResumeEntry | undefined>;
  set(key: string, entry: ResumeEntry): void | Promise<void>;
  delete(key: string): void | Promise<void>;
  entries(): Iterable<[string, ResumeEntry]> | Promise<Iterable<[string, ResumeEntry]>>;
}

/** The default name of the `localStorage` item holding the entries (one JSON object, by key). */
export const RESUMABLE_UPLOADS = "mediagate.resumable-uploads";

/** Entries in one `localStorage` item, so a page reload (or another tab) finds them. */
export function localStorageResumeStore(storage: Storage = globalThis.localStorage, item: string = RESUMABLE_UPLOADS): ResumeStore {
  const read = (): Record<string, ResumeEntry> => {
    try {
      return JSON.parse(storage.getItem(item) ?? "{}") as Record<string, ResumeEntry>;
    } catch {
      return {};
    }
  };
  return {
    get: (key) => read()[key],
    set: (key, entry) => storage.setItem(item, JSON.stringify({ ...read(), [key]: entry })),
    delete: (key) => {
      const all = read();
      delete all[key];
      storage.setItem(item, JSON.stringify(all));
    },
    entries: () => Object.entries(read()),
  };
}

/** Entries in this process's memory (Node.js, tests). */
export function memoryResumeStore(): ResumeStore {
  const entries = new Map<string, ResumeEntry>();
  return {
    get: (key) => entries.get(key),
    set: (key, entry) => void entries.set(key, entry),
    delete: (key) => void entries.delete(key),
    entries: () => [...entries],
  };
}

export function defaultResumeStore(): ResumeStore {
  try {
    if (typeof globalThis.localStorage?.getItem === "function") {
      return localStorageResumeStore();
    }
  } catch {
    // localStorage exists but may not be used here (a sandboxed frame, storage disabled).
  }
  return memoryResumeStore();
}

/**
 * The same file chosen again has the same name, size and modification time; `scope` (the signed-in user) keeps two
 * users of one browser apart.
 */
export function resumeKey(scope: string, name: string, file: Blob): string {
  const lastModified = "lastModified" in file && typeof file.lastModified === "number" ? file.lastModified : 0;
  return JSON.stringify([scope, name, file.size, lastModified]);
}
