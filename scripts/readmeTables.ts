/**
 * `npm run docs:tables`: copies each generated table in bench/results/ into README.md between its
 * `<!-- BEGIN path -->` / `<!-- END path -->` markers, so no figure in the README is typed by hand.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..");
const MARKER = /<!-- BEGIN (\S+) -->\n[\s\S]*?<!-- END \1 -->/g;

/** The README with every marked section replaced by the current content of the file it names. */
export function syncReadmeTables(readme: string, read: (path: string) => string): string {
  return readme.replace(MARKER, (_match, path: string) => {
    // Demote the included file's headings by two levels so they sit under the README's "## Gas".
    const body = read(path)
      .trim()
      .replace(/^(#+) /gm, "$1## ");
    return `<!-- BEGIN ${path} -->\n${body}\n<!-- END ${path} -->`;
  });
}

function main(): void {
  const readmePath = join(ROOT, "README.md");
  const updated = syncReadmeTables(readFileSync(readmePath, "utf8"), (path) => readFileSync(join(ROOT, path), "utf8"));
  writeFileSync(readmePath, updated);
  console.log("README.md: tables copied from bench/results");
}

if (require.main === module) main();
