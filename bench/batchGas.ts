/**
 * Gas of batched ring actions (IMedRingRegistry.executeRingActions) against the same actions sent one by one, both
 * measured in the same run on the real registry and verifier: k = 1, 2, 4 and 8 ring-16 actions of each kind.
 * Used by `npm run bench:gas` (bench/gas.ts), which writes the rows to bench/results/gas.{json,md} as `batches`.
 */
import { ringActionRequest, type RingActionArgs } from "../src/actions";
import type { RingActionRequestStruct } from "../typechain-types/contracts/MedRingRegistry";
import { deployWorld, type World } from "../test/contracts/helpers/fixture";
import { FAR_DEADLINE, certify, createAnonymousRecord, domainOf, fakeCiphertext, randomScope, warrantAuth } from "../test/contracts/helpers/records";
import { authorize, ringActionDigest } from "../src/actions";
import type { Point } from "../src/mrs1";

export const BATCH_SIZES = [1, 2, 4, 8];
export const BATCH_RING_SIZE = 16;
const WRAPPED_KEY = "0x" + "ab".repeat(106); // an ECIES-wrapped 32-byte key (src/envelope/wrap.ts)

export interface BatchRow {
  action: "createRecord" | "warrant";
  k: number;
  ringSize: number;
  gasTotal: number;
  gasPerAction: number;
  singleGasPerAction: number;
}

interface Prepared {
  request: RingActionRequestStruct;
  /** Sends the same action alone, through its single-action function. */
  single: () => Promise<bigint>;
}

const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) => (await (await tx).wait())!.gasUsed;

/** A ring-16 creation by patient `i` in a fresh scope. */
async function creation(world: World, i: number): Promise<Prepared> {
  const signer = world.patients[i];
  const scope = randomScope();
  const { ciphertext, contentHash } = fakeCiphertext(256);
  const action: RingActionArgs = { kind: "createRecord", args: { scope, contentHash, locator: "0x", ciphertext } };
  const digest = ringActionDigest(await domainOf(world), "CreateRecord", { ...action.args, nonce: 0n, deadline: FAR_DEADLINE });
  const decoys = world.patients.filter((p) => p !== signer).slice(0, BATCH_RING_SIZE - 1).map((p) => p.keys.publicKey);
  const auth = authorize(signer.keys, decoys, scope, digest, 0n, FAR_DEADLINE);
  return {
    request: ringActionRequest(action, auth) as RingActionRequestStruct,
    single: () => gasOf(world.registry.connect(world.relayer).createRecordAnonymous(scope, contentHash, "0x", ciphertext, auth)),
  };
}

/** A ring-16 warrant by patient `i` on a record of its own created for it, for `institution`. */
async function warrant(world: World, i: number, institution: string): Promise<Prepared> {
  const signer = world.patients[i];
  const created = await createAnonymousRecord(world, signer, randomScope(), { ringSize: BATCH_RING_SIZE });
  const ring: Point[] = created.ring;
  const auth = await warrantAuth(world, signer.keys, ring, created.scope, institution, WRAPPED_KEY);
  return {
    request: ringActionRequest({ kind: "warrant", args: { scope: created.scope, institution, wrappedKey: WRAPPED_KEY } }, auth) as RingActionRequestStruct,
    single: () => gasOf(world.registry.connect(world.relayer).warrantAnonymous(created.scope, institution, WRAPPED_KEY, auth)),
  };
}

export async function measureRegistryBatches(log: (line: string) => void = console.log): Promise<BatchRow[]> {
  const world = await deployWorld(2 * BATCH_RING_SIZE);
  const institution = await world.institutionAccounts[0].getAddress();
  await certify(world, world.institutionAccounts[0]);
  const rows: BatchRow[] = [];
  for (const kind of ["createRecord", "warrant"] as const) {
    const prepare = (i: number) => (kind === "createRecord" ? creation(world, i) : warrant(world, i, institution));
    for (const k of BATCH_SIZES) {
      const singles: Prepared[] = [];
      for (let i = 0; i < k; i++) singles.push(await prepare(i));
      let singleGas = 0n;
      for (const s of singles) singleGas += await s.single();
      const batch: Prepared[] = [];
      for (let i = 0; i < k; i++) batch.push(await prepare(k + i));
      const receipt = await (await world.registry.connect(world.relayer).executeRingActions(batch.map((b) => b.request))).wait();
      const skipped = receipt!.logs.filter((l) => world.registry.interface.parseLog(l)?.name === "RingActionSkipped").length;
      if (skipped !== 0) throw new Error(`bench: ${skipped} of ${k} batched ${kind} actions were skipped`);
      const gasTotal = Number(receipt!.gasUsed);
      const row = { action: kind, k, ringSize: BATCH_RING_SIZE, gasTotal, gasPerAction: Math.round(gasTotal / k), singleGasPerAction: Math.round(Number(singleGas) / k) };
      rows.push(row);
      log(`batch ${kind} k=${k}: ${gasTotal} gas, ${row.gasPerAction}/action against ${row.singleGasPerAction} alone (${(row.gasPerAction / row.singleGasPerAction).toFixed(3)}×)`);
    }
  }
  return rows;
}

/** The markdown table of `rows`. */
export function batchTable(rows: BatchRow[]): string[] {
  return [
    `Batched ring actions (\`executeRingActions\`, ring of ${BATCH_RING_SIZE}) against the same actions sent one by one, transaction gas, same run:`,
    "",
    "| action | k | batch tx gas | gas / action | alone, gas / action | batch ÷ alone |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.action} | ${r.k} | ${r.gasTotal.toLocaleString("en-US")} | ${r.gasPerAction.toLocaleString("en-US")} | ${r.singleGasPerAction.toLocaleString("en-US")} | ${(r.gasPerAction / r.singleGasPerAction).toFixed(3)} |`,
    ),
    "",
  ];
}
