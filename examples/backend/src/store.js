// The backend's own record of each file, kept from mediagate's events: one JSON file, written whole and atomically
// (a temporary file renamed over it), one change at a time. Events arrive at least once and in any order: each is
// applied once (by its id), and a file's record only ever moves to a newer state.
import { readFile, rename, writeFile } from "node:fs/promises";

/** When two events of a file carry the same timestamp, the later step of its life wins. */
const STEP = { "file.uploaded": 0, "file.failed": 1, "file.rejected": 2, "file.ready": 2, "file.visibility-changed": 3, "file.deleted": 4 };

export class FileStore {
  #path;
  #state = { seen: [], files: {} };
  #queue = Promise.resolve();

  constructor(path) {
    this.#path = path;
  }

  /** Reads what an earlier run kept (nothing when the file does not exist yet). */
  async open() {
    try {
      this.#state = JSON.parse(await readFile(this.#path, "utf8"));
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
    return this;
  }

  /**
   * Applies one event; `"duplicate"` when its id was seen before, `"stale"` when the file's record is already newer
   * (or the file was deleted), `"applied"` otherwise.
   */
  record(event) {
    return this.#serially(async () => {
      if (this.#state.seen.includes(event.id)) return "duplicate";
      const { data } = event;
      const current = this.#state.files[data.fileId];
      const outcome = isNewer(event, current) ? "applied" : "stale";
      if (outcome === "applied") {
        this.#state.files[data.fileId] = {
          owner: data.owner, fileId: data.fileId, status: event.type === "file.deleted" ? "deleted" : data.status,
          visibility: data.visibility, filename: data.filename, contentType: data.contentType, size: data.size,
          width: data.width ?? null, height: data.height ?? null, reason: data.reason ?? null,
          type: event.type, timestamp: event.timestamp, eventId: event.id,
        };
      }
      // The ids of the last 10000 events are enough: mediagate retries a delivery for a day, not forever.
      this.#state.seen = [...this.#state.seen, event.id].slice(-10_000);
      await this.#save();
      return outcome;
    });
  }

  /** The record of one file, if any event about it arrived. */
  file(fileId) {
    return this.#state.files[fileId];
  }

  /** The ready files, newest first. */
  ready(limit = 100) {
    return Object.values(this.#state.files).filter((file) => file.status === "ready")
      .sort((a, b) => b.timestamp.localeCompare(a.timestamp)).slice(0, limit);
  }

  async #save() {
    const temporary = `${this.#path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(this.#state));
    await rename(temporary, this.#path);
  }

  #serially(work) {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

function isNewer(event, current) {
  if (!current) return true;
  if (current.type === "file.deleted") return false;
  const byTime = Date.parse(event.timestamp) - Date.parse(current.timestamp);
  return byTime > 0 || byTime === 0 && (STEP[event.type] ?? 0) > (STEP[current.type] ?? 0);
}
