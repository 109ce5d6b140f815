// The tarball `npm pack` makes, installed as a user installs it: ESM entry points, no dependencies, and types a
// TypeScript project compiles against.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const PACKAGE = resolve(import.meta.dirname, "../..");

test("the packed tarball installs without dependencies, imports as ESM and type-checks in a TypeScript project", async () => {
  const project = await mkdtemp(join(tmpdir(), "mediagate-client-user-"));
  try {
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", project], { cwd: PACKAGE });
    const [{ filename, files }] = JSON.parse(stdout);
    assert.ok(files.every(({ path }) => path.startsWith("dist/") || ["package.json", "README.md"].includes(path)),
      "only the build, the manifest and the README are published");
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "user-app", private: true, type: "module" }));
    await run("npm", ["install", "--offline", "--no-audit", "--no-fund", join(project, filename)], { cwd: project });
    const installed = JSON.parse(await readFile(join(project, "node_modules/@mediagate/client/package.json"), "utf8"));
    assert.equal(installed.dependencies, undefined);

    await writeFile(join(project, "check.mjs"), `
      import { Mediagate, picture, MediagateError } from "@mediagate/client";
      import { uppy5, uppy6 } from "@mediagate/client/uppy";
      console.log([typeof Mediagate, typeof picture, typeof MediagateError, typeof uppy5, typeof uppy6].join(" "));`);
    assert.equal((await run("node", ["check.mjs"], { cwd: project })).stdout.trim(), "function function function function function");

    await writeFile(join(project, "app.ts"), `
      import { Mediagate, picture, type FileView } from "@mediagate/client";
      const client = new Mediagate({ baseUrl: "https://api.example.com", getToken: async () => "token" });
      export async function show(file: File): Promise<string | undefined> {
        const { fileId } = await client.upload(file, { visibility: "public", onProgress: ({ loaded, total }) => loaded / total });
        const view: FileView = await client.waitUntilReady(fileId);
        return picture(view)?.img.srcset;
      }`);
    await writeFile(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true,
      module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022", "DOM"], types: [] }, files: ["app.ts"] }));
    await run(join(PACKAGE, "node_modules/.bin/tsc"), ["-p", "."], { cwd: project });
  } finally {
    await rm(project, { recursive: true, force: true });
  }
});
