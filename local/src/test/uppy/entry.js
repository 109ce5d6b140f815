// The snippet of docs/large-files.md (extracted by the test into mediagate-uppy.js), exposed to the page that drives it.
import { createUppy } from "./mediagate-uppy.js";

window.createUppy = createUppy;
