/**
 * The relayer benchmark's world (bench/relayer.ts): its settings, a devnet child process on either client as
 * `npm start` runs it (scripts/stack/devnet.ts), the contracts deployed on it with 16 registered patients, the
 * requests (valid anonymous ring-16 createRecord submissions and invalid kinds, each refused at another step), and
 * the relayer as a child process with the benchmark's settings.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { ethers } from "ethers";
import { encodeSignatureJson, generateKeyPair, sign, sortRing, N_ORDER, type KeyPair } from "../../src/mrs1";
import { deriveRecordScope, encryptRecord } from "../../src/envelope";
import { bytesToHex } from "../../src/hex";
import { medRingDomain, ringKeyPossession, signAdmission } from "../../src/actions";
import { createRecord } from "../../relayer/codecs/createRecord";
import type { ChainContext } from "../../relayer/codecs/types";
import { devnetCommand, type DevnetOptions } from "../../scripts/stack/devnet";
import { freePort, startRelayerChild, startUntilReady, type ReadyChild } from "../../scripts/stack/processes";
import { deployMedRing } from "../../scripts/lib/deploy";
import { IMedRingRegistry__factory, MedRingRegistry__factory } from "../../typechain-types";

export const ROOT = path.join(__dirname, "..", "..");
export const RING_SIZE = 16;
const env = (name: string, def: number) => (process.env[name] ? Number(process.env[name]) : def);
export const N_VALID = env("BENCH_VALID", 100);
export const CONNECTIONS = env("BENCH_CONNECTIONS", 16);
export const INVALID_SECONDS = env("BENCH_INVALID_SECONDS", 5);
export const VERIFY_WORKERS = env("BENCH_VERIFY_WORKERS", 2);
/** Seconds between blocks of the batching comparison's devnet (interval blocks, as on a real chain). */
export const BATCHING_BLOCK_TIME = env("BENCH_BATCHING_BLOCK_TIME", 2);
/** Plaintext size of each record (bytes); the envelope adds 41. */
export const RECORD_BYTES = 256;

/** CPU time (user + system, ms) a process has used so far, all its threads included (Linux /proc). */
export function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (proc(5)), in clock ticks of 10 ms
  return ticks * 10;
}

/** A devnet child process, as the stack starts it; the pid is the node's own (its CPU is measured from /proc). */
export async function startNode(devnet: DevnetOptions): Promise<{ node: ReadyChild; rpcUrl: string }> {
  const port = await freePort();
  const how = devnetCommand(devnet, "127.0.0.1", port);
  const ready = devnet.client === "anvil" ? /Listening on/ : /Started HTTP and WebSocket JSON-RPC server/;
  const node = await startUntilReady(how.command, how.args, { cwd: ROOT, env: { ...process.env, ...how.env }, ready, timeoutMs: 120_000 });
  const rpcUrl = `http://127.0.0.1:${port}`;
  await how.afterReady?.(rpcUrl);
  return { node, rpcUrl };
}

export interface World {
  provider: ethers.JsonRpcProvider;
  ctx: ChainContext;
  patients: KeyPair[];
  deploymentFile: string;
}

export async function setUpChain(rpcUrl: string, devnet: DevnetOptions): Promise<World> {
  const provider = new ethers.JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1, cacheTimeout: -1, pollingInterval: 200 });
  // The Hardhat node's per-request console log is not what we measure (Anvil logs a line per transaction only).
  if (devnet.client === "hardhat") await provider.send("hardhat_setLoggingEnabled", [false]);
  const deployer = await provider.getSigner(0);
  const { addresses } = await deployMedRing(hre, { deployer });
  const registry = IMedRingRegistry__factory.connect(addresses.MedRingRegistry, provider);
  // The deployer holds REGULATOR_ROLE (deployMedRing's default) and grants itself ADMITTER_ROLE to admit the patients.
  const asRegulator = MedRingRegistry__factory.connect(addresses.MedRingRegistry, deployer);
  await (await asRegulator.grantRole(await registry.ADMITTER_ROLE(), await deployer.getAddress())).wait();
  const chainId = (await provider.getNetwork()).chainId;
  const domain = medRingDomain(chainId, addresses.MedRingRegistry);
  const patients: KeyPair[] = [];
  await Promise.all(
    Array.from({ length: RING_SIZE }, async (_, i) => {
      const kp = generateKeyPair();
      const { x, y } = kp.publicKey.toAffine();
      const account = await provider.getSigner(1 + i);
      const admission = await signAdmission(deployer, domain, await account.getAddress(), { x, y }, 2n ** 40n);
      const possession = ringKeyPossession(kp, domain, await account.getAddress());
      await (await registry.connect(account).registerPatient({ x, y }, "0x", admission, possession)).wait();
      patients[i] = kp;
    }),
  );
  const deploymentFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "medring-bench-")), "deployment.json");
  fs.writeFileSync(deploymentFile, JSON.stringify({ network: "bench", chainId: chainId.toString(), contracts: addresses }));
  const ctx: ChainContext = { chainId, registry, registryAddress: addresses.MedRingRegistry, forwarderAddress: addresses.MedRingForwarder };
  return { provider, ctx, patients, deploymentFile };
}

export type Body = { action: { kind: string; args: Record<string, string> }; authorization: Record<string, unknown> };

/**
 * A client's anonymous createRecord: the record sealed with src/envelope, its scope derived from the author's
 * ring key (record `index`), the EIP-712 digest from the relayer's own createRecord codec, signed with MRS-1
 * over the whole 16-member anonymity set.
 */
export function validRequest(w: World, author: number, index: number, deadline: bigint, ring = sortRing(w.patients.map((p) => p.publicKey))): Body {
  const kp = w.patients[author];
  const scope = bytesToHex(deriveRecordScope(kp.secretKey, "anonymous", index));
  const sealed = encryptRecord(ethers.randomBytes(RECORD_BYTES));
  const args = { scope, contentHash: sealed.contentHash, locator: "0x", ciphertext: bytesToHex(sealed.ciphertext) };
  const message = createRecord.ring!.digest(args, 0n, deadline, w.ctx);
  const sig = sign({ secretKey: kp.secretKey, ring, scope: ethers.getBytes(scope), message: ethers.getBytes(message) });
  return {
    action: { kind: "createRecord", args },
    authorization: { type: "ring", signature: encodeSignatureJson(sig), nonce: "0", deadline: deadline.toString() },
  };
}

export interface InvalidKind {
  name: string;
  expected: string;
  body: string;
}

/** A forged signature (c_1 + 1) of a valid request, and the invalid kinds, each refused at a different pipeline step. */
export function invalidRequests(w: World, deadline: bigint, expiredDeadline: bigint): { forged: Body; invalid: InvalidKind[] } {
  const spare = validRequest(w, 0, N_VALID + 1, deadline);
  const forged = structuredClone(spare);
  const sigJson = forged.authorization.signature as { c: string[] };
  sigJson.c[0] = ethers.toBeHex((BigInt(sigJson.c[0]) + 1n) % N_ORDER, 32);
  const tampered = structuredClone(spare);
  tampered.action.args.contentHash = ethers.keccak256("0x01");
  const outsiderRing = sortRing([...w.patients.slice(0, RING_SIZE - 1).map((p) => p.publicKey), generateKeyPair().publicKey]);
  const outsider = validRequest(w, 0, N_VALID + 2, deadline, outsiderRing);
  const expired = validRequest(w, 0, N_VALID + 3, expiredDeadline);
  const invalid: InvalidKind[] = [
    { name: "malformed JSON", expected: "400 invalid_json", body: '{"action": {' },
    {
      name: "schema violation (args not an object)",
      expected: "400 invalid_request",
      body: JSON.stringify({ ...spare, action: { kind: "createRecord", args: 7 } }),
    },
    { name: "tampered content hash (message mismatch)", expected: "422 message_mismatch", body: JSON.stringify(tampered) },
    { name: "expired deadline", expected: "422 deadline_expired", body: JSON.stringify(expired) },
    { name: "non-member key in the ring", expected: "422 ring_member_not_registered", body: JSON.stringify(outsider) },
    { name: "forged MRS-1 signature (c_1 + 1)", expected: "422 invalid_signature", body: JSON.stringify(forged) },
  ];
  return { forged, invalid };
}

/** The relayer's environment in the benchmark: its settings, with `extra` on top. */
export function benchRelayerEnv(rpcUrl: string, deploymentFile: string, dataDir: string, extra: Record<string, string>): Record<string, string> {
  return {
    MEDRING_RELAYER_RPC_URL: rpcUrl,
    MEDRING_RELAYER_RPC_TIMEOUT_MS: "300000",
    MEDRING_RELAYER_PORT: "0",
    MEDRING_RELAYER_DEPLOYMENT: deploymentFile,
    MEDRING_RELAYER_DATA_DIR: dataDir,
    MEDRING_RELAYER_RATE_LIMIT: "1000000",
    MEDRING_RELAYER_MAX_CONCURRENCY: "1024",
    MEDRING_RELAYER_MAX_CONCURRENCY_PER_IP: "1024",
    MEDRING_RELAYER_VERIFY_WORKERS: String(VERIFY_WORKERS),
    MEDRING_RELAYER_POLL_MS: "100",
    MEDRING_RELAYER_MAX_IN_FLIGHT: "256",
    MEDRING_RELAYER_LOG_LEVEL: "info",
    ...extra,
  };
}

/** The relayer as a child process on `dataDir` with the benchmark's settings and `extra` on top. */
export function startBenchRelayer(rpcUrl: string, deploymentFile: string, dataDir: string, extra: Record<string, string>) {
  return startRelayerChild(benchRelayerEnv(rpcUrl, deploymentFile, dataDir, extra));
}
