// What a browser downloads of the client: each entry point bundled and minified by esbuild, then gzipped.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

for (const entry of ["dist/index.js", "dist/uppy.js"]) {
  const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: "esm", write: false, target: "es2022" });
  const code = result.outputFiles[0].contents;
  console.log(`${entry}: ${code.length} bytes minified, ${gzipSync(code, { level: 9 }).length} bytes minified + gzip`);
}
