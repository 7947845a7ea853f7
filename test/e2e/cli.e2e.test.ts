/**
 * End to end through the real pieces: `npm start` (scripts/start.ts) as a child process on free
 * ports, and the real `medring` CLI (bin/medring.js) as child processes. The regulator certifies an institution,
 * which admits a patient; the patient registers, creates an anonymous FHIR record, grants the institution, the
 * institution reads it (hash checked),
 * the patient revokes and the institution loses access, and the records come back from the key file alone.
 * `--dry-run` prints a body the relayer accepts and sends nothing. Then a privacy scan of every transaction's
 * calldata, every log, the relayer's SQLite files and its log file, and a check that every anonymous action was
 * sent by the relayer's account. Finally Ctrl-C (SIGINT) must leave no process behind.
 * All of it on each devnet client, the Hardhat node and Anvil (`npm start -- --chain anvil`; README.md, "Choosing the
 * devnet client"): what the stack and the CLI need of a node must hold on two independent EVM implementations.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider, hexlify, toUtf8Bytes } from "ethers";
import { MedRingChain } from "../../src/client";
import { IMedRingRegistry__factory } from "../../typechain-types/factories/contracts/interfaces/IMedRingRegistry__factory";
import { syntheticRecord } from "../../scripts/demo/fhirSamples";
import { main } from "../../src/cli/main";
import { DEVNET_CLIENTS } from "../../scripts/stack/devnet";
import { registerDecoyPatients } from "./helpers/decoyPatients";
import { ROOT, descendants, startStackProcess, stopStack, type StackProcess } from "./helpers/stackProcess";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

for (const chain of DEVNET_CLIENTS)
  describe(`end to end on ${chain}: npm start + the medring CLI`, function () {
    this.timeout(240_000);
    let stack: StackProcess;
    let env: NodeJS.ProcessEnv;
    const record = syntheticRecord(0);
    const personalInfo = `SYNTHETIC-PERSON-${Date.now()}: Synthetic Patient 001, born 1950-01-10`;
    const file = (name: string) => join(stack.stateDir, name);
    /** The key options of the patient's (encrypted) and the institution's key files, made in the first test. */
    const asPatient = () => ["--key", file("patient.json"), "--passphrase-file", file("passphrase.txt")];
    const asInstitution = () => ["--key", file("institution.json")];

    const medring = (...args: string[]): Promise<Run> =>
      new Promise((resolve) => {
        execFile(process.execPath, [join(ROOT, "bin", "medring.js"), ...args], { env, cwd: stack.stateDir, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 70) : 0, stdout, stderr });
        });
      });
    const ok = async (...args: string[]): Promise<string> => {
      const run = await medring(...args);
      expect(run.code, `medring ${args.join(" ")}\n${run.stderr}`).to.equal(0);
      return run.stdout;
    };

    let patientAddress: string;
    let institutionAddress: string;
    let recordId: string;
    let startPids: number[] = [];

    before(async function () {
      stack = await startStackProcess(180_000, ["--chain", chain]);
      startPids = [stack.child.pid!, ...descendants(stack.child.pid!)];
      env = { ...process.env, MEDRING_RELAYER_URL: stack.relayerUrl, MEDRING_RPC_URL: stack.rpcUrl, MEDRING_PASSPHRASE: "" };
      // Seven other patients fill the anonymity set up to the policy minimum (8), admitted by a certified registration
      // office and registered through the SDK.
      await registerDecoyPatients(stack, 7);
    });

    after(async function () {
      if (!stack) return;
      const { code, left } = await stopStack(stack, [...new Set([...startPids, ...descendants(stack.child.pid!)])]);
      expect(code, stack.output()).to.equal(0);
      expect(left, "processes left after Ctrl-C").to.deep.equal([]);
    });

    it("keys new writes a passphrase-protected patient key file and an institution key file", async () => {
      writeFileSync(file("passphrase.txt"), "correct horse battery staple\n");
      expect(await ok("keys", "new", "--role", "patient", "--out", file("patient.json"), "--passphrase-file", file("passphrase.txt"))).to.match(
        /^wrote .*patient 0x[0-9a-fA-F]{40} \(passphrase-encrypted\)\n$/,
      );
      await ok("keys", "new", "--role", "institution", "--out", file("institution.json"));
      patientAddress = (await ok("address", "--key", file("patient.json"))).trim();
      institutionAddress = (await ok("address", ...asInstitution())).trim();
      expect(readFileSync(file("patient.json"), "utf8")).to.not.include('"secrets"');
    });

    it("the regulator certifies the institution from its `institution register` info", async () => {
      await ok("institution", "register", ...asInstitution(), "--out", file("institution.pub.json"));
      const out = JSON.parse(
        await ok(
          "regulator",
          "certify",
          "--key",
          join(stack.stateDir, "deployments", "localhost-regulator.json"),
          "--institution-info",
          file("institution.pub.json"),
          "--json",
        ),
      );
      expect(out).to.include({ institution: institutionAddress, certified: true });
    });

    it("the institution admits the patient from the patient's public info (medring address --json)", async () => {
      writeFileSync(file("patient.pub.json"), await ok("address", "--key", file("patient.json"), "--json"));
      await ok("institution", "admit", ...asInstitution(), "--patient", file("patient.pub.json"), "--out", file("admission.json"));
      const admission = JSON.parse(readFileSync(file("admission.json"), "utf8"));
      expect(admission).to.include({ format: "medring-admission", patient: patientAddress, admitter: institutionAddress });
    });

    it("patient register creates the RC through the relayer (the patient has no ETH)", async () => {
      writeFileSync(file("info.txt"), personalInfo);
      const out = JSON.parse(await ok("patient", "register", ...asPatient(), "--admission", file("admission.json"), "--info", file("info.txt"), "--json"));
      expect(out).to.include({ address: patientAddress, admitter: institutionAddress, status: "confirmed" });
      expect(out.register).to.match(/^0x[0-9a-fA-F]{40}$/);
      const provider = new JsonRpcProvider(stack.rpcUrl);
      expect(await provider.getBalance(patientAddress)).to.equal(0n);
      provider.destroy();
    });

    it("record create --dry-run prints a body the relayer would accept, and sends nothing", async () => {
      writeFileSync(file("record.json"), record.json);
      const status = async () => (await fetch(`${stack.relayerUrl}/v1/status`)).json() as Promise<{ queue: Record<string, number> }>;
      const provider = new JsonRpcProvider(stack.rpcUrl);
      const [blockBefore, queueBefore] = [await provider.getBlockNumber(), (await status()).queue];
      const printed = await ok("record", "create", ...asPatient(), "--file", file("record.json"), "--dry-run");
      const body = JSON.parse(printed);
      expect(body.action.kind).to.equal("createRecord");
      expect(body.authorization.type).to.equal("ring");
      expect(body.authorization.signature.ring).to.have.length(8);
      expect(await provider.getBlockNumber()).to.equal(blockBefore);
      expect((await status()).queue).to.deep.equal(queueBefore);
      const verdict = await (
        await fetch(`${stack.relayerUrl}/v1/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: printed })
      ).json();
      expect(verdict).to.include({ valid: true, kind: "createRecord" });
      provider.destroy();
    });

    it("record create makes an anonymous record and prints its id", async () => {
      const out = JSON.parse(await ok("record", "create", ...asPatient(), "--file", file("record.json"), "--json"));
      expect(out).to.include({ anonymous: true, ringSize: 8, index: 0, status: "confirmed" });
      recordId = out.recordId;
      expect(recordId).to.match(/^0x[0-9a-f]{64}$/);
    });

    it("record grant to the patient's own admitter is refused (exit 6, nothing sent): its public admittees in the ring are too few", async () => {
      // The institution admitted only this patient; the ring's other members came from the office. Anyone who knows the
      // admitters would narrow the grant's ring to the patient alone (README "Security model", small admitters).
      const run = await medring("record", "grant", ...asPatient(), "--record", recordId, "--institution", institutionAddress);
      expect(run.code, run.stderr).to.equal(6);
      expect(run.stderr).to.match(/admitted you; .* narrow this record's ring to its 1 member/);
      expect(JSON.parse(await ok("institution", "records", ...asInstitution(), "--json")).records).to.deep.equal([]);
    });

    it("record grant with --accept-narrow-grant, then the institution lists and reads it: hash checked, plaintext identical", async () => {
      const granted = JSON.parse(
        await ok("record", "grant", ...asPatient(), "--record", recordId, "--institution", institutionAddress, "--accept-narrow-grant", "--json"),
      );
      expect(granted).to.include({ anonymous: true, status: "confirmed" });
      const listed = JSON.parse(await ok("institution", "records", ...asInstitution(), "--json"));
      expect(listed.records.map((r: { recordId: string }) => r.recordId)).to.deep.equal([recordId]);
      const read = JSON.parse(await ok("institution", "read", ...asInstitution(), "--record", recordId, "--json"));
      expect(read).to.include({ recordId, hashVerified: true });
      expect(read.plaintext).to.equal(record.json);
    });

    it("record revoke, then the institution loses access (exit 3, one line)", async () => {
      await ok("record", "revoke", ...asPatient(), "--record", recordId, "--institution", institutionAddress);
      const listed = JSON.parse(await ok("institution", "records", ...asInstitution(), "--json"));
      expect(listed.records).to.deep.equal([]);
      const read = await medring("institution", "read", ...asInstitution(), "--record", recordId);
      expect(read.code).to.equal(3);
      expect(read.stdout).to.equal("");
      expect(
        read.stderr
          .trimEnd()
          .split("\n")
          .filter((l) => l.startsWith("medring:")),
      ).to.deep.equal([`medring: record ${recordId} is not granted to ${institutionAddress} (never granted, or revoked)`]);
    });

    it("records recovers the record from the key file alone, and record show decrypts it", async () => {
      const { records } = JSON.parse(await ok("records", ...asPatient(), "--json"));
      expect(records.map((r: { recordId: string; anonymous: boolean; index: number }) => [r.recordId, r.anonymous, r.index])).to.deep.equal([
        [recordId, true, 0],
      ]);
      expect(await ok("record", "show", ...asPatient(), "--record", recordId)).to.equal(record.json);
    });

    it("progress: on a terminal record create --identified shows each step with the elapsed time; piped, the result alone", async () => {
      // Piped, as every run above (a child process): the result on stdout and nothing on stderr.
      const piped = await medring("records", ...asPatient());
      expect(piped.code, piped.stderr).to.equal(0);
      expect(piped.stderr).to.equal("");
      // A terminal: the real `main` with interactive set, as bin/medring.js sets it when stdout and stderr are TTYs.
      let stdout = "";
      let stderr = "";
      // --identified: an anonymous one would change the privacy scan's count of anonymous actions below.
      const args = ["record", "create", "--identified", ...asPatient(), "--file", file("record.json")];
      const code = await main(["node", "medring", ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env, interactive: true });
      expect(code, stderr).to.equal(0);
      expect(stdout).to.match(/^0x[0-9a-f]{64}\n$/);
      const lines = stderr
        .split("\n")
        .map((line) => line.split("\r\x1b[2K").pop()!)
        .filter((line) => line.startsWith("·"));
      const steps = lines.map((line) => /^·\s+(\d+\.\d) s {2}([^:]+)/.exec(line));
      expect(
        steps.every((m) => m !== null),
        lines.join("\n"),
      ).to.equal(true);
      const names = steps.map((m) => m![2]);
      for (const step of ["connected", "signed", "accepted by the relayer", "confirmed"]) expect(names, lines.join("\n")).to.include(step);
      expect(names.indexOf("signed")).to.be.lessThan(names.indexOf("accepted by the relayer"));
      expect(names.indexOf("accepted by the relayer")).to.be.lessThan(names.indexOf("confirmed"));
      expect(lines.find((l) => l.includes("confirmed:"))).to.match(/confirmed: tx 0x[0-9a-f]{64} \(block \d+, gas \d+\)$/);
      const seconds = steps.map((m) => Number(m![1]));
      expect(seconds).to.deep.equal([...seconds].sort((a, b) => a - b));
    });

    describe("privacy scan after the scenario", () => {
      const markers = () => [record.marker, "SYN-001", personalInfo];
      const forms = (m: string) => [Buffer.from(m, "utf8"), Buffer.from(hexlify(toUtf8Bytes(m)).slice(2), "utf8")];

      it("no plaintext marker (UTF-8 or hex) in any calldata or log, and every anonymous action was sent by the relayer", async () => {
        const status = (await (await fetch(`${stack.relayerUrl}/v1/status`)).json()) as {
          contracts: { MedRingRegistry: string };
          relayers: { address: string }[];
        };
        const chain = await MedRingChain.connect(stack.rpcUrl, status.contracts.MedRingRegistry);
        try {
          const relayer = status.relayers[0].address.toLowerCase();
          const registry = IMedRingRegistry__factory.createInterface();
          const anonymousSelectors = (["createRecordAnonymous", "warrantAnonymous", "unwarrantAnonymous"] as const).map(
            (f) => registry.getFunction(f).selector,
          );
          const latest = await chain.provider.getBlockNumber();
          const seen: Buffer[] = [];
          let anonymous = 0;
          for (let n = 0; n <= latest; n++) {
            const block = await chain.provider.getBlock(n, true);
            for (const tx of block!.prefetchedTransactions) {
              seen.push(Buffer.from(tx.data.slice(2), "hex"));
              expect(tx.from.toLowerCase(), `tx ${tx.hash} sent by the patient`).to.not.equal(patientAddress.toLowerCase());
              if (anonymousSelectors.includes(tx.data.slice(0, 10))) {
                anonymous++;
                expect(tx.from.toLowerCase(), `anonymous tx ${tx.hash}`).to.equal(relayer);
              }
              const receipt = await chain.provider.getTransactionReceipt(tx.hash);
              for (const log of receipt!.logs) seen.push(Buffer.from([...log.topics, log.data].map((h) => h.slice(2)).join(""), "hex"));
            }
          }
          expect(anonymous, "anonymous create, grant and revoke").to.equal(3);
          const haystack = Buffer.concat(seen);
          for (const m of markers()) for (const form of forms(m)) expect(haystack.indexOf(form), `marker ${m}`).to.equal(-1);
        } finally {
          chain.close();
        }
      });

      it("no plaintext marker in the relayer's SQLite files or its log", () => {
        const dataDir = join(stack.stateDir, "data", "devnet-relayer");
        const files = [...readdirSync(dataDir).map((f) => join(dataDir, f)), join(stack.stateDir, "data", "logs", "relayer.log")];
        expect(files.some((f) => f.endsWith("relayer.sqlite"))).to.equal(true);
        for (const f of files) {
          const bytes = readFileSync(f);
          for (const m of markers()) for (const form of forms(m)) expect(bytes.indexOf(form), `marker ${m} in ${f}`).to.equal(-1);
        }
        // Positive control: the store does hold the submissions (their ciphertexts), so the scan looked at real data.
        expect(Buffer.concat(files.map((f) => readFileSync(f))).length).to.be.above(10_000);
      });
    });
  });
