// The blocks of the project's docs that tests run: the fenced block right after a `<!-- test: NAME -->` line, in the
// README or a page under docs/ (as the Java tests' DocBlocks reads them).
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { ROOT } from "./local-stack.js";

export async function docBlock(name) {
  const pages = [join(ROOT, "README.md"), ...(await readdir(join(ROOT, "docs"))).filter((file) => file.endsWith(".md"))
    .map((file) => join(ROOT, "docs", file))];
  const found = [];
  for (const page of pages) {
    const text = await readFile(page, "utf8");
    const marker = new RegExp(`^<!-- test: ${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)^\`\`\`$`, "gm");
    for (const match of text.matchAll(marker)) found.push(match[1]);
  }
  if (found.length !== 1) throw new Error(`${found.length} blocks marked <!-- test: ${name} --> in the docs, not one`);
  return found[0];
}
