// The Uppy 5.x block of docs/large-files.md as written (the test writes it to snippet.js), on this folder's pinned
// @uppy/core and @uppy/aws-s3 5.x.
import { createUppy } from "./snippet.js";

window.createUppy = createUppy;
