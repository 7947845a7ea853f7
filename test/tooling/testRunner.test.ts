/**
 * The test runner's grouping (scripts/testRunner.ts) and the process tree that the suite's memory figure and the
 * runner's left-over check read (scripts/lib/processTree.ts); docs/testing.md describes both.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { partition } from "../../scripts/testRunner";
import { ProcessTree, canMeasure } from "../../scripts/lib/processTree";

describe("test runner", function () {
  describe("partition", function () {
    const groups = [
      { name: "heavy", paths: ["test/verifier/msmCore.test.ts"], node: "anvil" as const },
      { name: "verifier", paths: ["test/verifier"] },
      { name: "rest", paths: ["test"] },
    ];

    it("puts each file in the first group that names it or its folder, and a file no group names in the last", function () {
      const files = [
        "test/verifier/msmCore.test.ts",
        "test/verifier/batch.test.ts",
        "test/verifierx/new.test.ts",
        "test/brandNew/a.test.ts",
        "test/hex.test.ts",
      ];
      expect(partition(files, groups).map((g) => [g.name, g.files])).to.deep.equal([
        ["heavy", ["test/verifier/msmCore.test.ts"]],
        ["verifier", ["test/verifier/batch.test.ts"]],
        ["rest", ["test/verifierx/new.test.ts", "test/brandNew/a.test.ts", "test/hex.test.ts"]],
      ]);
    });

    it("drops groups without files and keeps the node a group runs on", function () {
      const result = partition(["test/verifier/msmCore.test.ts"], groups);
      expect(result.map((g) => g.name)).to.deep.equal(["heavy"]);
      expect(result[0].node).to.equal("anvil");
    });
  });

  describe("process tree", function () {
    this.timeout(60_000);

    it("still finds a detached command's child after the command ended (re-parented, same session)", async function () {
      if (!canMeasure()) this.skip();
      // sh starts a background sleep, then waits for stdin to close; it leads a session of its own (detached)
      const sh = spawn("sh", ["-c", "sleep 120 & read line"], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
      const tree = new ProcessTree(sh.pid!);
      while (tree.members().length < 2) await new Promise((r) => setTimeout(r, 50));
      const [sleeper] = tree.members().filter((pid) => pid !== sh.pid);
      try {
        sh.stdin.end();
        await once(sh, "exit");
        expect(tree.members()).to.deep.equal([sleeper]);
        expect(tree.sample().total).to.be.greaterThan(0);
      } finally {
        process.kill(sleeper, "SIGKILL");
      }
      while (tree.members().length > 0) await new Promise((r) => setTimeout(r, 50));
    });
  });
});
