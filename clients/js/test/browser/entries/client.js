// The client as a page would load it, on window for the test to drive.
import * as mediagate from "../../../dist/index.js";

window.mediagate = mediagate;
