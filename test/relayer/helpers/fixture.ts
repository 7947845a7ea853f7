import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import hre from "hardhat";
import { ethers, network } from "hardhat";
import type { Signer } from "ethers";
import { JsonRpcServer } from "hardhat/internal/hardhat-network/jsonrpc/server";
import { encodeSignatureJson, generateKeyPair, parseSignatureJson, sign, sortRing, type KeyPair } from "../../../src/mrs1";
import { loadConfig, type RelayerConfig } from "../../../relayer/config";
import { createLogger } from "../../../relayer/logger";
import {
  FORWARD_REQUEST_TYPES,
  anonymousRecordId,
  keyImageHash,
  medRingDomain,
  possessionArgs,
  proveRingKeyPossession,
  ringKeyPossession,
  signAdmission,
  type AdmissionArgs,
  type RingKeyPossessionArgs,
} from "../../../src/actions";
import { startRelayer, type RunningRelayer } from "../../../relayer/server";
import type { MedRingRegistry } from "../../../typechain-types";

/** Shared test fixture: contracts on the in-process Hardhat network, served over real JSON-RPC HTTP. */

export interface Chain {
  rpcUrl: string;
  registry: MedRingRegistry;
  /** The ERC2771Forwarder the contracts trust. */
  forwarder: string;
  deploymentFile: string;
  patients: KeyPair[];
  close(): Promise<void>;
}

/**
 * The mocha hooks of a describe whose tests share `chain()`: automine back on after each test (the batching and
 * mempool tests pause it, and a paused node would stall the next test), and the chain closed after the last one.
 */
export function sharedChainHooks(chain: () => Chain | undefined): void {
  afterEach(async function () {
    await network.provider.send("evm_setAutomine", [true]);
  });
  after(async function () {
    await chain()?.close();
  });
}

/** A chain deployed before the describe's first test and closed after its last; the tests read it through the getter. */
export function chainPerDescribe(patientCount = 10): () => Chain {
  let chain: Chain | undefined;
  before(async function () {
    chain = await deployChain(patientCount);
  });
  after(async function () {
    await chain?.close();
  });
  return () => {
    if (!chain) throw new Error("chainPerDescribe: the chain is deployed in the describe's before hook");
    return chain;
  };
}

export async function deployChain(patientCount = 10): Promise<Chain> {
  const server = new JsonRpcServer({ hostname: "127.0.0.1", port: 0, provider: hre.network.provider });
  const { port } = await server.listen();
  const [admin, regulator] = await ethers.getSigners();
  // Each deployment is waited for: a node that answers eth_sendTransaction before it mines (Anvil, which the test
  // runner runs this fixture on: docs/testing.md) would otherwise serve the next call from an address with no code.
  const deploy = async (name: string, ...args: unknown[]) => {
    const contract = await (await ethers.getContractFactory(name)).deploy(...args);
    await contract.waitForDeployment();
    return contract;
  };
  const verifier = await deploy("RingVerifier");
  const fwd = await (await deploy("MedRingForwarder")).getAddress();
  const rc = await deploy("PatientRegister", fwd);
  const mrc = await deploy("MedicalRecord", fwd);
  const alc = await deploy("AccessList", fwd);
  const registry = (await deploy(
    "MedRingRegistry",
    admin.address,
    regulator.address,
    await verifier.getAddress(),
    fwd,
    await rc.getAddress(),
    await mrc.getAddress(),
    await alc.getAddress(),
  )) as unknown as MedRingRegistry;
  const signers = await ethers.getSigners();
  // The regulator holds ADMITTER_ROLE here and admits every test patient (MedRingTypes.Admission).
  await (await registry.connect(regulator).grantRole(await registry.ADMITTER_ROLE(), regulator.address)).wait();
  const patients: KeyPair[] = [];
  for (let i = 0; i < patientCount; i++) {
    const kp = generateKeyPair();
    const { x, y } = kp.publicKey.toAffine();
    const admission = await admit(registry, regulator, signers[2 + i].address, { x, y });
    const possession = await possessionOf(registry, kp, signers[2 + i].address);
    await (await registry.connect(signers[2 + i]).registerPatient({ x, y }, "0x", admission, possession)).wait();
    patients.push(kp);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medring-relayer-"));
  const deploymentFile = path.join(dir, "deployment.json");
  const chainId = (await ethers.provider.getNetwork()).chainId;
  fs.writeFileSync(
    deploymentFile,
    JSON.stringify({
      network: "hardhat",
      chainId: chainId.toString(),
      contracts: { RingVerifier: await verifier.getAddress(), MedRingForwarder: fwd, MedRingRegistry: await registry.getAddress() },
    }),
  );
  return { rpcUrl: `http://127.0.0.1:${port}`, registry, forwarder: fwd, deploymentFile, patients, close: () => server.close() };
}

/** The anonymous record id a ring-signed submission body names (scope + the signature's key image). */
export function recordIdOfBody(body: { action: { args: { scope: string } }; authorization: { signature: unknown } }): string {
  const parsed = parseSignatureJson(body.authorization.signature);
  if (!parsed.ok) throw new Error(parsed.detail);
  return anonymousRecordId(body.action.args.scope, keyImageHash(parsed.signature.keyImage));
}

/** An admission of `patient` with ring key `ringKey` by `admitter` (an ADMITTER_ROLE holder), valid for a day. */
export async function admit(
  registry: MedRingRegistry,
  admitter: Signer,
  patient: string,
  ringKey: { x: bigint; y: bigint },
  deadline?: bigint,
): Promise<AdmissionArgs> {
  const { chainId } = await ethers.provider.getNetwork();
  const latest = await ethers.provider.getBlock("latest");
  return signAdmission(admitter, medRingDomain(chainId, await registry.getAddress()), patient, ringKey, deadline ?? BigInt(latest!.timestamp) + 86_400n);
}

/** `keys`'s proof of possession of its ring key for `patient`'s registration (MedRingTypes.RingKeyPossession). */
export async function possessionOf(registry: MedRingRegistry, keys: KeyPair, patient: string): Promise<RingKeyPossessionArgs> {
  const { chainId } = await ethers.provider.getNetwork();
  return ringKeyPossession(keys, medRingDomain(chainId, await registry.getAddress()), patient);
}

/**
 * The relayer's `registerPatient` args and the registry call they stand for: `keys`'s ring key registered by
 * `patient` with `admission`, with the key's possession proof for `proofAccount` (the patient, unless a test replays
 * another account's proof).
 */
export async function registration(chain: Chain, patient: string, keys: KeyPair, admission: AdmissionArgs, encryptedInfo = "0x", proofAccount = patient) {
  const { chainId } = await ethers.provider.getNetwork();
  const { x, y } = keys.publicKey.toAffine();
  const possession = proveRingKeyPossession(keys, medRingDomain(chainId, await chain.registry.getAddress()), proofAccount);
  const args = {
    ringKey: { x: ethers.toBeHex(x, 32), y: ethers.toBeHex(y, 32) },
    encryptedInfo,
    admission: { ...admission, deadline: admission.deadline.toString() },
    possession,
  };
  const data = chain.registry.interface.encodeFunctionData("registerPatient", [{ x, y }, encryptedInfo, admission, possessionArgs(possession)]);
  return { args, call: { to: await chain.registry.getAddress(), data } };
}

/** Captures pino's output lines for the privacy checks. */
export class LogCapture extends Writable {
  lines: string[] = [];
  _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    cb();
  }
  get text(): string {
    return this.lines.join("\n");
  }
}

export function testConfig(chain: Chain, overrides: Record<string, string> = {}): RelayerConfig {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "medring-relayer-data-"));
  return loadConfig({
    MEDRING_RELAYER_RPC_URL: chain.rpcUrl,
    MEDRING_RELAYER_PORT: "0",
    MEDRING_RELAYER_DEPLOYMENT: chain.deploymentFile,
    MEDRING_RELAYER_DATA_DIR: dataDir,
    MEDRING_RELAYER_POLL_MS: "50",
    MEDRING_RELAYER_LOG_LEVEL: "info",
    // The single-transaction path, which these tests count transactions of; batch.ts turns batching on.
    MEDRING_RELAYER_BATCH_MAX_ACTIONS: "1",
    // No random delay of lone ring jobs (README, no public timing): the tests step the submitter themselves.
    MEDRING_RELAYER_LONE_DELAY_MS: "0",
    // The tests poll job statuses from one address many times a second, far past a client's default budget (600 a
    // minute), which would answer them 429; the tests of the limit itself set their own.
    MEDRING_RELAYER_RATE_LIMIT: "1000000",
    ...overrides,
  });
}

export async function startTestRelayer(chain: Chain, overrides: Record<string, string> = {}, logs = new LogCapture()) {
  const config = testConfig(chain, overrides);
  const relayer: RunningRelayer = await startRelayer(config, createLogger(config.logLevel, logs), {
    artifactsDir: path.join(__dirname, "..", "..", "..", "artifacts"),
  });
  return { relayer, logs, config };
}

let scopeCounter = 0;
/** A fresh 32-byte scope per record. */
export function freshScope(): string {
  scopeCounter++;
  return ethers.zeroPadValue(ethers.toBeHex(BigInt(Date.now()) * 1000n + BigInt(scopeCounter)), 32);
}

/**
 * A client-side anonymous createRecord request: the digest comes from the registry's own hashCreateRecord
 * (so the relayer's off-chain EIP-712 encoding is checked against the contract), signed with MRS-1.
 */
export async function ringCreateRecord(
  chain: Chain,
  signer: KeyPair,
  opts: { ringSize?: number; scope?: string; deadline?: bigint; ciphertextBytes?: number } = {},
) {
  const scope = opts.scope ?? freshScope();
  const ciphertext = ethers.hexlify(ethers.randomBytes(opts.ciphertextBytes ?? 48));
  const contentHash = ethers.keccak256(ciphertext);
  const latest = await ethers.provider.getBlock("latest");
  const deadline = opts.deadline ?? BigInt(latest!.timestamp) + 3600n;
  const message = await chain.registry.hashCreateRecord(scope, contentHash, "0x", ciphertext, 0n, deadline);
  const decoys = chain.patients.filter((p) => p !== signer).slice(0, (opts.ringSize ?? 8) - 1);
  const ring = sortRing([signer.publicKey, ...decoys.map((d) => d.publicKey)]);
  const sig = sign({ secretKey: signer.secretKey, ring, scope: ethers.getBytes(scope), message: ethers.getBytes(message) });
  return {
    action: { kind: "createRecord", args: { scope, contentHash, locator: "0x", ciphertext } },
    authorization: { type: "ring", signature: encodeSignatureJson(sig), nonce: "0", deadline: deadline.toString() },
  };
}

/**
 * An identified authorisation: `owner` signs the OpenZeppelin ERC2771Forwarder's EIP-712 ForwardRequest for
 * `call`, with the forwarder's own domain and the owner's current forwarder nonce (`signer` forges it).
 */
export async function forwardAuthorization(
  chain: Chain,
  owner: Signer,
  call: { to: string; data: string },
  o: { gas?: bigint; deadline?: bigint; signer?: Signer } = {},
) {
  const fwd = new ethers.Contract(
    chain.forwarder,
    ["function nonces(address) view returns (uint256)", "function eip712Domain() view returns (bytes1, string, string, uint256, address, bytes32, uint256[])"],
    ethers.provider,
  );
  const [, name, version, chainId, verifyingContract] = await fwd.eip712Domain();
  const from = await owner.getAddress();
  const deadline = o.deadline ?? BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
  const request = {
    from,
    to: call.to,
    value: "0",
    gas: (o.gas ?? 1_000_000n).toString(),
    nonce: ((await fwd.nonces(from)) as bigint).toString(),
    deadline: deadline.toString(),
    data: call.data,
  };
  const signature = await (o.signer ?? owner).signTypedData({ name, version, chainId, verifyingContract }, FORWARD_REQUEST_TYPES, request);
  return { type: "eip712" as const, request, signature };
}

/**
 * Polls GET /v1/submissions/{id} until its status is one of `statuses`; returns the submission. The default
 * allows for a loaded CI machine (several test processes on two cores): a job that needs a few seconds idle may
 * need a minute there.
 */
export async function waitForStatus(url: string, id: string, statuses: readonly string[], timeoutMs = 120_000) {
  return waitFor(async () => {
    const r = await get(`${url}/v1/submissions/${id}`);
    return statuses.includes(r.json?.status) ? r.json : undefined;
  }, timeoutMs);
}

/** Every status a job ends in (relayer/store/types.ts). */
export const FINAL_STATUSES = ["confirmed", "failed", "expired", "done_elsewhere"] as const;

/** Waits until the node's mempool holds the job's current transaction (it is stored before it is broadcast). */
export async function waitInMempool(relayer: RunningRelayer, id: string): Promise<string> {
  return waitFor(async () => {
    const hash = (await relayer.ctx.store.getJob(id))?.txHash;
    return hash && (await ethers.provider.getTransaction(hash)) !== null ? hash : undefined;
  });
}

/** The answer of a relayer request, parsed as JSON when it is JSON. */
async function answer(res: Response) {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json: json as any, text, headers: res.headers }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return answer(
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

export async function get(url: string) {
  return answer(await fetch(url));
}

/** Polls `fn` until it returns a value; the default timeout allows for a loaded machine (see waitForStatus). */
export async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 90_000, stepMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
