import { expect } from "chai";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT, syncReadmeTables } from "../scripts/readmeTables";

describe("README", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

  it("has the generated tables exactly as bench/results has them (run npm run docs:tables)", () => {
    expect(readme.match(/<!-- BEGIN /g)?.length ?? 0).to.be.greaterThan(0);
    expect(syncReadmeTables(readme, read)).to.equal(readme);
  });

  it("gives the quick start as exactly the two commands", () => {
    expect(readme).to.include("npm ci && npm start");
    expect(readme).to.include("npm ci && npm test");
  });

  // A clone must be readable on its own: a relative link leaving the repository (`../` above its root) is dead there.
  const documents = [
    "README.md",
    "relayer/README.md",
    ...readdirSync(join(ROOT, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ];
  for (const document of documents) {
    it(`${document}: every relative link points to a file inside the repository`, () => {
      const text = read(document);
      const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^(https?:|mailto:|#)/.test(t));
      for (const target of targets) {
        const file = resolve(ROOT, dirname(document), target.split("#")[0]);
        expect(relative(ROOT, file).startsWith(".."), `${document} links outside the repository: ${target}`).to.equal(false);
        expect(existsSync(file), `${document} links to a missing file: ${target}`).to.equal(true);
      }
    });
  }
});
