// Uppy 5.x (this folder's pinned @uppy/core and @uppy/aws-s3) on mediagate through the client's uppy5 options.
import AwsS3 from "@uppy/aws-s3";
import Uppy from "@uppy/core";
import { Mediagate } from "../../dist/index.js";
import { uppy5 } from "../../dist/uppy.js";

window.createUppy = ({ api, getToken }) => {
  const client = new Mediagate({ baseUrl: api, getToken });
  const uppy = new Uppy();
  uppy.use(AwsS3, uppy5(uppy, client));
  return uppy;
};
