// @mediagate/client: mediagate's API for frontends (and backends), with no runtime dependencies.
export { Mediagate } from "./client.js";
export type { MediagateOptions, UploadOptions, Uploaded, WaitOptions } from "./client.js";
export { MediagateError, FileRejectedError } from "./errors.js";
export { picture, pictureHtml } from "./picture.js";
export type { Picture, PictureOptions, PictureSource } from "./picture.js";
export { localStorageResumeStore, memoryResumeStore, RESUMABLE_UPLOADS } from "./resume.js";
export type { ResumeEntry, ResumeStore } from "./resume.js";
export type * from "./types.js";
