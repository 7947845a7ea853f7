/**
 * The largest ring through the registry, for `npm run bench:gas` (src/api/ringSizeLimit.ts says what it decides): for
 * each anonymous action (create, warrant, unwarrant), sent alone and as an executeRingActions batch of one, the largest
 * ring whose real transaction, with gasLimit = EIP-7825's cap, executes the action. The registry forwards 63/64 of its
 * gas to the verifier, which forwards 63/64 to its MSM core, so this is less than the largest ring of
 * `RingVerifier.verify` alone.
 *
 * Rings above the registry's own RING_SIZE_LIMIT are measured too: the benchmark's throwaway chain lifts the ring
 * policy's stored maximum past the constant (hardhat_setStorageAt), which only the measurement may do. A warrant or
 * unwarrant needs its record, created alone, so it is measured up to the largest ring a creation fits.
 */
import { ethers, network } from "hardhat";
import { ringActionRequest, type RingAuthorizationArgs } from "../src/actions";
import { RING_SIZE_LIMIT, RING_SIZE_SAFETY_MEMBERS } from "../src/api/ringSizeLimit";
import type { RingActionRequestStruct } from "../typechain-types/contracts/MedRingRegistry";
import { sentGas } from "./lib/sentGas";
import { deployWorld, registerPatients, type World } from "../test/contracts/helpers/fixture";
import { certify, decoysFor, ringOf, signCreation, unwarrantAuth, warrantAuth } from "../test/contracts/helpers/records";
import type { Point } from "../src/mrs1";

const TX_GAS_CAP = 16_777_216; // EIP-7825
const WRAPPED_KEY = "0x" + "ab".repeat(106); // an ECIES-wrapped 32-byte key (src/envelope/wrap.ts)
const RECORD_BYTES = 512;
/** Members the search steps down by while a ring does not fit (then up by one). */
const STRIDE = 3;
type Action = "createRecord" | "warrant" | "unwarrant";
type Path = "alone" | "batchOfOne";

export interface RingLimitRow {
  action: Action;
  path: Path;
  /** Largest ring whose transaction executes under the cap. */
  largest: number;
  /** Its transaction's gasUsed. */
  gas: number;
  /** True when the rings above were not tried: this row does not lower the minimum over the rows below its ring. */
  boundedBySearch: boolean;
}

export interface RingLimitResult {
  rows: RingLimitRow[];
  /** The largest ring for which every action fits both ways: the minimum of the rows. */
  largest: number;
  /** What src/api/ringSizeLimit.ts derives from it: largest − RING_SIZE_SAFETY_MEMBERS. */
  derivedLimit: number;
  /** RING_SIZE_LIMIT as committed (src/api/ringSizeLimit.ts, MedRingRegistry.RING_SIZE_LIMIT). */
  committedLimit: number;
}

/** A prepared action: the transaction that sends it alone or in a batch of one. */
interface Prepared {
  alone: string;
  batchOfOne: string;
}

/** Lets the regulator set a policy maximum of `max`, above RING_SIZE_LIMIT, by rewriting the packed policy slot. */
async function liftRingPolicy(world: World, max: number): Promise<void> {
  const registry = await world.registry.getAddress();
  const [min, current] = await world.registry.ringPolicy();
  const packed = ethers.toBeHex((current << 128n) | min, 32);
  for (let slot = 0; slot < 64; slot++) {
    if ((await ethers.provider.getStorage(registry, slot)) !== packed) continue;
    await network.provider.send("hardhat_setStorageAt", [registry, ethers.toBeHex(slot), ethers.toBeHex((BigInt(max) << 128n) | min, 32)]);
    const [, lifted] = await world.registry.ringPolicy();
    if (lifted !== BigInt(max)) throw new Error(`bench: slot ${slot} is not the ring policy`);
    return;
  }
  throw new Error("bench: ring policy slot not found");
}

async function ensurePatients(world: World, count: number): Promise<void> {
  if (world.patients.length < count) world.patients.push(...(await registerPatients(world.registry, world.admitter, count - world.patients.length)));
}

/**
 * Whether `data` executes its one action in a real transaction with the cap as gas limit, and its gasUsed. A
 * transaction that runs out of gas in the verifier or its core reverts without data (the core's failure), or with
 * the registry's signature error carrying the verifier's reason; a batch skips an action whose MRC call ran out of
 * gas and succeeds, so the batch must also show the action executed. Any other revert is a bug of the benchmark.
 */
async function fitsUnderCap(world: World, data: string): Promise<number | undefined> {
  const sent = await sentGas(world.relayer, await world.registry.getAddress(), data, TX_GAS_CAP);
  if (!sent.ok) {
    if (/out of gas|reverted without a reason|RegistrySignatureInvalid|RegistryBatchSignatureInvalid|RecordCallFailed/i.test(sent.error!)) return undefined;
    throw new Error(`bench: unexpected revert: ${sent.error}`);
  }
  const receipt = await ethers.provider.getTransactionReceipt((await ethers.provider.getBlock("latest"))!.transactions.at(-1)!);
  const names = receipt!.logs.map((l) => world.registry.interface.parseLog(l)?.name);
  const executed = names.filter((n) => n === "RingActionExecuted").length === 1 && !names.includes("RingActionSkipped");
  return executed ? sent.gas : undefined;
}

function encode(
  world: World,
  action: Action,
  args: { scope: string; contentHash?: string; ciphertext?: string; institution?: string },
  auth: RingAuthorizationArgs,
): Prepared {
  const registry = world.registry.interface;
  const { scope, institution = "" } = args;
  let alone: string;
  let request: RingActionRequestStruct;
  if (action === "createRecord") {
    const create = { scope, contentHash: args.contentHash!, locator: "0x", ciphertext: args.ciphertext! };
    alone = registry.encodeFunctionData("createRecordAnonymous", [scope, create.contentHash, "0x", create.ciphertext, auth]);
    request = ringActionRequest({ kind: "createRecord", args: create }, auth) as RingActionRequestStruct;
  } else if (action === "warrant") {
    alone = registry.encodeFunctionData("warrantAnonymous", [scope, institution, WRAPPED_KEY, auth]);
    request = ringActionRequest({ kind: "warrant", args: { scope, institution, wrappedKey: WRAPPED_KEY } }, auth) as RingActionRequestStruct;
  } else {
    alone = registry.encodeFunctionData("unwarrantAnonymous", [scope, institution, auth]);
    request = ringActionRequest({ kind: "unwarrant", args: { scope, institution } }, auth) as RingActionRequestStruct;
  }
  return { alone, batchOfOne: registry.encodeFunctionData("executeRingActions", [[request]]) };
}

/** A fresh creation with a ring of `n` by patient 0, encoded both ways. */
async function creation(world: World, n: number): Promise<Prepared & { scope: string; ring: Point[] }> {
  await ensurePatients(world, n);
  const signer = world.patients[0];
  const ciphertext = ethers.hexlify(ethers.randomBytes(RECORD_BYTES));
  const { args, auth } = await signCreation(world, signer.keys, decoysFor(world, signer, n), { ciphertext });
  return { ...encode(world, "createRecord", args, auth), scope: args.scope, ring: ringOf(auth) };
}

/** Executes `data` (a setup step) under the cap, trying up to three fresh versions: a signature's gas varies a little. */
async function executeSetup(world: World, make: () => Promise<string>): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if ((await fitsUnderCap(world, await make())) !== undefined) return true;
  }
  return false;
}

/**
 * A fresh `action` with a ring of `n` by patient 0: for a warrant its record created first, for an unwarrant also
 * warranted. Undefined when a setup step itself does not fit under the cap at this ring (then neither can the action
 * ever run at it).
 */
async function prepare(world: World, action: Action, n: number, institution: string): Promise<Prepared | undefined> {
  if (action === "createRecord") return creation(world, n);
  const signer = world.patients[0];
  let created: { scope: string; ring: Point[] } | undefined;
  const made = await executeSetup(world, async () => (created = await creation(world, n)).alone);
  if (!made || created === undefined) return undefined;
  const { scope, ring } = created;
  const warrant = async () => encode(world, "warrant", { scope, institution }, await warrantAuth(world, signer.keys, ring, scope, institution, WRAPPED_KEY));
  if (action === "warrant") return warrant();
  if (!(await executeSetup(world, async () => (await warrant()).alone))) return undefined;
  return encode(world, action, { scope, institution }, await unwarrantAuth(world, signer.keys, ring, scope, institution));
}

/**
 * Largest ring of `action` by `path`, at most `ceiling`: from `start`, down STRIDE members at a time while it does not
 * fit, then up one at a time while the next one does; each step a fresh action in a real transaction.
 */
async function largestRing(world: World, action: Action, path: Path, start: number, ceiling: number, institution: string): Promise<RingLimitRow> {
  const fits = new Map<number, number | undefined>();
  const tryRing = async (n: number) => {
    if (!fits.has(n)) {
      const prepared = await prepare(world, action, n, institution);
      fits.set(n, prepared === undefined ? undefined : await fitsUnderCap(world, prepared[path]));
      console.log(`${action} ${path} ring ${n}: ${fits.get(n) ?? "does not fit"}`);
    }
    return fits.get(n) !== undefined;
  };
  let n = Math.min(start, ceiling);
  while (!(await tryRing(n))) {
    n -= STRIDE;
    if (n < 2) throw new Error(`bench: ${action} ${path} does not fit under the cap even with a small ring`);
  }
  while (n < ceiling && (await tryRing(n + 1))) n++;
  return { action, path, largest: n, gas: fits.get(n)!, boundedBySearch: n === ceiling };
}

/**
 * Measures every row. Creation alone first (from `guess`, up to a ceiling far above the limit), then creation as a
 * batch of one; warrants and unwarrants only up to the smallest largest ring so far, since the limit is the minimum
 * over all rows and each of their rings needs its record created first (the rows say so: `boundedBySearch`).
 */
export async function registryRingLimit(guess = RING_SIZE_LIMIT + RING_SIZE_SAFETY_MEMBERS): Promise<RingLimitResult> {
  const world = await deployWorld(guess + 1);
  await certify(world, world.institutionAccounts[0]);
  const institution = await world.institutionAccounts[0].getAddress();
  const searchCeiling = 4 * RING_SIZE_LIMIT;
  await liftRingPolicy(world, searchCeiling);
  const rows: RingLimitRow[] = [];
  const smallest = () => Math.min(...rows.map((r) => r.largest));
  rows.push(await largestRing(world, "createRecord", "alone", guess, searchCeiling, institution));
  rows.push(await largestRing(world, "createRecord", "batchOfOne", guess, smallest(), institution));
  for (const action of ["warrant", "unwarrant"] as const) {
    for (const path of ["alone", "batchOfOne"] as const) {
      rows.push(await largestRing(world, action, path, smallest(), smallest(), institution));
    }
  }
  const largest = smallest();
  return { rows, largest, derivedLimit: largest - RING_SIZE_SAFETY_MEMBERS, committedLimit: RING_SIZE_LIMIT };
}

/** `npx hardhat run bench/registryRingLimit.ts`: this measurement alone (bench:gas runs it with the others). */
if (require.main === module) {
  registryRingLimit()
    .then((result) => console.log(JSON.stringify(result, null, 2)))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
