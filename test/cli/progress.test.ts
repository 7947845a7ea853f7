/**
 * Progress of long commands (src/cli/progress.ts): live on a terminal, nothing when the output is piped or --json
 * is given. The rendering is checked with a fake clock; the split between a terminal and a pipe with the real
 * `main` and a relayer that never answers, so the command waits (connecting) and then fails.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main";
import { createProgress, isInteractive } from "../../src/cli/progress";
import { submissionMilestone } from "../../src/cli/session";
import { generateActorKeys } from "../../src/keys";
import { writeKeyFile } from "../../src/keys/file";

const ERASE = "\r\x1b[2K";

/** The finished lines of a live rendering: each line's text after its last erase. */
function milestones(written: string): string[] {
  return written
    .split("\n")
    .map((line) => line.split(ERASE).pop()!)
    .filter((line) => line.startsWith("·"));
}

describe("progress", () => {
  describe("rendering", () => {
    let clock = 0;
    /** A progress in `mode` writing into `out.text`, on the fake clock. */
    const started = (mode: Parameters<typeof createProgress>[0]) => {
      const out = { text: "" };
      return { out, progress: createProgress(mode, { write: (s: string) => void (out.text += s), now: () => clock }) };
    };
    beforeEach(() => (clock = 1_000));

    it("live: a milestone is a line with the time since start; the awaited step is one line redrawn in place", () => {
      const { out, progress } = started("live");
      progress.waiting("signing");
      expect(out.text).to.match(/^⠋\s+0\.0 s {2}signing …$/);
      clock += 1_400;
      progress.report("signed: record 0xab");
      progress.waiting("waiting for it to be mined");
      clock += 2_100;
      progress.report("mined in block 7");
      progress.stop();
      expect(milestones(out.text)).to.deep.equal(["·  1.4 s  signed: record 0xab", "·  3.5 s  mined in block 7"]);
      // Every live line is erased before the next line is written, and none is left at the end.
      expect(out.text.endsWith("\n") || out.text.endsWith(ERASE)).to.equal(true);
      expect(out.text).to.include(`waiting for it to be mined …${ERASE}·  3.5 s`);
    });

    it("live: nothing is drawn after stop (the result is on stdout)", () => {
      const { out, progress } = started("live");
      progress.stop();
      progress.waiting("late");
      progress.report("late");
      expect(out.text).to.equal("");
    });

    it("lines (npm start into a log): every wait and milestone as its own line, no control characters", () => {
      const { out, progress } = started("lines");
      progress.waiting("starting the devnet");
      clock += 3_300;
      progress.report("devnet up");
      expect(out.text).to.equal("·  0.0 s  starting the devnet …\n·  3.3 s  devnet up\n");
    });

    it("silent: writes nothing", () => {
      const { out, progress } = started("silent");
      progress.waiting("x");
      progress.report("y");
      progress.stop();
      expect(out.text).to.equal("");
    });
  });

  it("is live only when stdout and stderr are both a terminal that is not TERM=dumb", () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(isInteractive(tty, tty, {})).to.equal(true);
    expect(isInteractive(pipe, tty, {})).to.equal(false);
    expect(isInteractive(tty, pipe, {})).to.equal(false);
    expect(isInteractive({}, {}, {})).to.equal(false);
    expect(isInteractive(tty, tty, { TERM: "dumb" })).to.equal(false);
  });

  it("names each relayer job state: accepted (id), sent (tx), mined (block), confirmed", () => {
    const id = "0x" + "11".repeat(32);
    const txHash = "0x" + "22".repeat(32);
    expect(submissionMilestone({ id, status: "queued" }).done).to.equal(`accepted by the relayer: submission ${id}`);
    expect(submissionMilestone({ id, status: "submitted", txHash }).done).to.equal(`sent: tx ${txHash}`);
    expect(submissionMilestone({ id, status: "mined", txHash, blockNumber: 12 }).done).to.equal(`mined in block 12 (tx ${txHash})`);
    expect(submissionMilestone({ id, status: "confirmed", txHash }).next).to.equal(undefined);
  });

  describe("a command that waits on the relayer (records, against a relayer that holds the request and then fails)", () => {
    let server: Server;
    let relayerUrl: string;
    let dir: string;
    let keyFile: string;
    before(async () => {
      // Answers /v1/status after 300 ms with a 500: the CLI waits (connecting), then exits 4 with one line.
      server = createServer((_req, res) => setTimeout(() => res.writeHead(500).end("{}"), 300));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      relayerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      dir = mkdtempSync(join(tmpdir(), "medring-progress-"));
      keyFile = join(dir, "patient.json");
      writeKeyFile(keyFile, generateActorKeys("patient"));
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const run = async (interactive: boolean, ...extra: string[]) => {
      let stdout = "";
      let stderr = "";
      const code = await main(["node", "medring", "records", "--key", keyFile, "--relayer", relayerUrl, ...extra], {
        stdout: (s) => void (stdout += s),
        stderr: (s) => void (stderr += s),
        env: {},
        interactive,
      });
      return { code, stdout, stderr };
    };

    it("on a terminal: shows what it waits for with a live clock, erases it, then the one-line error", async () => {
      const result = await run(true);
      expect(result.code).to.equal(4);
      expect(result.stderr).to.match(/^⠋\s+\d+\.\d s {2}connecting to the relayer http:\/\/127\.0\.0\.1:\d+ and the chain http:\/\/127\.0\.0\.1:8545 …/);
      const lastErase = result.stderr.lastIndexOf(ERASE);
      expect(lastErase).to.be.greaterThan(0);
      expect(result.stderr.slice(lastErase + ERASE.length)).to.match(/^medring: relayer http:\/\/127\.0\.0\.1:\d+\S* answered 500[^\n]*\n$/);
    });

    it("piped: only the one-line error", async () => {
      const result = await run(false);
      expect(result.code).to.equal(4);
      expect(result.stderr).to.match(/^medring: [^\n]*\n$/);
    });

    it("with --json on a terminal: only the one-line error", async () => {
      const result = await run(true, "--json");
      expect(result.code).to.equal(4);
      expect(result.stderr).to.match(/^medring: [^\n]*\n$/);
    });
  });
});
