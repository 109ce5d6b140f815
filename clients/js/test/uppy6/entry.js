// The Uppy 6.x block of docs/large-files.md as written (the test writes it to snippet.js), on this folder's pinned
// @uppy/core and @uppy/aws-s3 6.x.
import { createUppy } from "./snippet.js";

window.createUppy = createUppy;
