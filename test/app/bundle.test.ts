/**
 * The web app's bundle (app/, README "The web app") reuses the project's own src/ and contains nothing that only
 * runs in Node: the build refuses any Node built-in (app/build/nodeBuiltins.ts), and the Node-only halves of
 * src/keys, src/chain and src/fhir stay out.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, buildApp } from "../helpers/builtOutput";

const DIST = join(ROOT, "app", "dist");

describe("web app bundle", function () {
  this.timeout(300_000);

  it("is built from src/ (client, actions, mrs1, envelope, keys, fhir) without any Node-only file or built-in", () => {
    buildApp();
    const modules = JSON.parse(readFileSync(join(DIST, ".vite", "modules.json"), "utf8")) as string[];
    for (const reused of [
      "src/client/patient.ts",
      "src/client/decoys.ts",
      "src/actions/ids.ts",
      "src/mrs1/sign.ts",
      "src/envelope/seal.ts",
      "src/keys/codec.ts",
      "src/keys/passphrase.ts",
      "src/fhir/validator.ts",
    ])
      expect(modules, reused).to.include(reused);
    for (const nodeOnly of ["src/keys/file.ts", "src/chain/artifactReverts.ts", "src/fhir/validate.ts", "src/projectRoot.ts", "src/chain/deploymentFile.ts"])
      expect(modules, nodeOnly).to.not.include(nodeOnly);
    expect(
      modules.filter((m) => /^node:|__vite-browser-external|better-sqlite3|@medplum\/definitions|node_modules\/(pg|express|pino)\//.test(m)),
    ).to.deep.equal([]);
    const js = readdirSync(join(DIST, "assets"))
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(DIST, "assets", f), "utf8"))
      .join("\n");
    expect(js).to.not.include("__vite-browser-external");
  });

  it("fails the build when anything imports a Node built-in, naming the importer", () => {
    const dir = mkdtempSync(join(tmpdir(), "medring-bundle-"));
    try {
      writeFileSync(join(dir, "index.html"), '<script type="module" src="./main.ts"></script>\n');
      writeFileSync(join(dir, "main.ts"), 'import { readFileSync } from "node:fs";\nconsole.log(readFileSync);\n');
      const plugin = JSON.stringify(join(ROOT, "app", "build", "nodeBuiltins.ts"));
      writeFileSync(
        join(dir, "vite.config.mts"),
        `import { nodeBuiltinsRefused } from ${plugin};\nexport default { root: ${JSON.stringify(dir)}, logLevel: "error", plugins: [nodeBuiltinsRefused(${JSON.stringify(join(dir, "modules.json"))})], build: { outDir: ${JSON.stringify(join(dir, "out"))} } };\n`,
      );
      const run = spawnSync(join(ROOT, "node_modules", ".bin", "vite"), ["build", "--config", join(dir, "vite.config.mts")], { cwd: ROOT, encoding: "utf8" });
      expect(run.status, run.stdout + run.stderr).to.not.equal(0);
      expect(run.stdout + run.stderr)
        .to.include("node:fs is a Node built-in, imported by")
        .and.include("main.ts");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
