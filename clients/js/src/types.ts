// The API's bodies, as openapi.yaml describes them (src/generated/openapi.ts is generated from it by `npm run build`):
// a change there that the client does not follow fails its type check.
import type { components } from "./generated/openapi.js";

type Schemas = components["schemas"];

export type FileId = Schemas["FileId"];
export type Owner = Schemas["Owner"];
export type Visibility = Schemas["Visibility"];
export type UploadRequest = Schemas["UploadRequest"];
export type UploadCreated = Schemas["UploadCreated"];
export type SinglePutUpload = Schemas["SinglePutUpload"];
export type MultipartUpload = Schemas["MultipartUpload"];
export type PartsRequest = Schemas["PartsRequest"];
export type SignedParts = Schemas["SignedParts"];
export type SignedPart = SignedParts["parts"][number];
export type StoredParts = Schemas["StoredParts"];
export type StoredPart = StoredParts["parts"][number];
export type CompletionRequest = Schemas["CompletionRequest"];
export type Completed = Schemas["Completed"];
export type FileView = Schemas["FileView"];
export type SharedFileView = Schemas["SharedFileView"];
export type Variant = Schemas["Variant"];
export type FileChange = Schemas["FileChange"];
export type Caller = Schemas["Caller"];
export type ShareRequest = Schemas["ShareRequest"];
export type ShareCreated = Schemas["ShareCreated"];
export type ShareList = Schemas["ShareList"];
export type LinksRequest = Schemas["LinksRequest"];
export type LinksPage = Schemas["LinksPage"];
export type LinkedFile = Schemas["LinkedFile"];
export type MissingFile = Schemas["MissingFile"];
export type Problem = Schemas["Problem"];

/** A focal point in 0…1 of the upright image (`x` from the left, `y` from the top), as `PATCH {"focus"}` takes it. */
export type Focus = Schemas["Focus"];
