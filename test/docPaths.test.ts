/**
 * Every repository path a comment or a document names exists, and every `docs/….md#anchor` names a heading of that
 * document: a citation a reader cannot follow is worse than none. Paths are recognised by their top-level folder
 * (src/…, relayer/…, contracts/…) or, in a comment, as ./ or ../ relative to the file. Links between documents
 * are checked by test/readme.test.ts.
 */
import { expect } from "chai";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "../scripts/readmeTables";

const TOP_LEVEL = ["src", "relayer", "contracts", "scripts", "bench", "tasks", "test", "bin", "docs"];
const SCANNED_EXTENSIONS = [".ts", ".sol", ".md", ".js", ".mjs"];
/** Generated or written by tools, not by hand. */
const SKIPPED = new Set(["node_modules", "results", "vectors", "MultiScalarMulCoreCode.sol"]);

/** Hand-written files under the top-level folders, plus the root's documents and configuration. */
function scannedFiles(): string[] {
  const files = ["README.md", "hardhat.config.ts", "eslint.config.mjs", "solhint.config.js"];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir))) {
      if (SKIPPED.has(entry)) continue;
      const path = `${dir}/${entry}`;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (SCANNED_EXTENSIONS.some((ext) => entry.endsWith(ext))) files.push(path);
    }
  };
  for (const dir of TOP_LEVEL) walk(dir);
  return files;
}

/** The comment text of a source file (`//`, `///`, block comments); a document is all text. */
function commentText(path: string, text: string): string {
  if (path.endsWith(".md")) return text;
  const comments = [...text.matchAll(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g)].map((m) => m[0]);
  return comments.join("\n");
}

/**
 * Dangling names in files another change of the same clean-up owns (issue #20: the MSM core's own test file, the
 * verifier-gas document, the relayer's submitter); each goes when that change lands. Listed exactly, so nothing else
 * slips through.
 */
const OWNED_ELSEWHERE = new Set<string>([]);
const DESIGN_CITATIONS_OWNED_ELSEWHERE = new Set(["relayer/submitter/lane.ts"]);

const ROOTED = new RegExp(`(?<![\\w./@-])((?:${TOP_LEVEL.join("|")})/[\\w./-]*?(?:\\.(?:ts|sol|md|js|mjs|json|svg)|/))(#[\\w-]+)?(?![\\w/*-])`, "g");
const RELATIVE = /(?<![\w./@-])(\.\.?\/[\w./-]*?\.(?:ts|sol|md|js|json))(?![\w/*-])/g;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\s-]/g, "")
    .replace(/\s/g, "-");

function anchors(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#+\s+(.*)$/gm)].map((m) => slug(m[1])));
}

describe("paths named in comments and documents", () => {
  const files = scannedFiles();

  it("scans the tree (sanity: the sources and the documents are found)", () => {
    expect(files).to.include.members(["README.md", "docs/design.md", "src/client/decoys.ts", "contracts/interfaces/IMedRingRegistry.sol"]);
  });

  it("every named file or folder exists, and every docs anchor is a heading", () => {
    const dangling: string[] = [];
    for (const file of files) {
      const text = commentText(file, readFileSync(join(ROOT, file), "utf8"));
      for (const [, path, anchor] of text.matchAll(ROOTED)) {
        if (!existsSync(join(ROOT, path))) dangling.push(`${file}: ${path}`);
        else if (anchor && path.endsWith(".md") && !anchors(readFileSync(join(ROOT, path), "utf8")).has(anchor.slice(1))) {
          dangling.push(`${file}: ${path}${anchor} (no such heading)`);
        }
      }
      if (file.endsWith(".md")) continue; // a document's relative links: test/readme.test.ts
      for (const [, path] of text.matchAll(RELATIVE)) {
        const target = resolve(ROOT, dirname(file), path);
        if (relative(ROOT, target).startsWith("..") || !existsSync(target)) dangling.push(`${file}: ${path}`);
      }
    }
    const unexpected = dangling.filter((entry) => !OWNED_ELSEWHERE.has(entry));
    expect(unexpected, unexpected.join("\n")).to.deep.equal([]);
  });

  it("no comment or document cites a design file outside the repository", () => {
    const outside = files.filter((file) => !DESIGN_CITATIONS_OWNED_ELSEWHERE.has(file) && /(?<![\w/])DESIGN\.md/.test(readFileSync(join(ROOT, file), "utf8")));
    expect(outside).to.deep.equal([]);
  });
});
