/**
 * Registry batch rows for `npm run bench:gas`: IMedRingRegistry.executeRingActions of k ring-16 actions (creations,
 * then warrants) against the same kind of actions sent one by one through their single-action functions, on the
 * real registry and verifier deployed by the test fixture's deploy path; and the gas of a stale action (made stale by
 * someone else's transaction) in a batch and alone.
 */
import { network } from "hardhat";
import { authorize, ringActionDigest, ringActionRequest } from "../src/actions";
import type { RingAction } from "../src/api";
import type { RingActionRequestStruct } from "../typechain-types/contracts/MedRingRegistry";
import { deployWorld, type World } from "../test/contracts/helpers/fixture";
import { FAR_DEADLINE, certify, createAnonymousRecord, domainOf, fakeCiphertext, randomScope, warrantAuth } from "../test/contracts/helpers/records";
import { measureBatches, type BatchRow } from "./lib/batches";
import { sentGas } from "./lib/sentGas";

const WRAPPED_KEY = "0x" + "ab".repeat(106); // an ECIES-wrapped 32-byte key (src/envelope/wrap.ts)
/** The ciphertext of a created record: a small FHIR resource, sealed. */
export const RECORD_BYTES = 512;

export type RegistryBatchRow = BatchRow & { action: "createRecord" | "warrant" };

interface Prepared {
  request: RingActionRequestStruct;
  /** The same action's single-action call (createRecordAnonymous / warrantAnonymous), encoded. */
  singleData: string;
}

/** gasUsed of a transaction from the relayer to the registry with `data`, successful or reverted (gas limit given, no estimate). */
const txGas = async (world: World, data: string) => sentGas(world.relayer, await world.registry.getAddress(), data, 16_777_216);

async function singleGas(world: World, p: Prepared): Promise<number> {
  const { gas, ok } = await txGas(world, p.singleData);
  if (!ok) throw new Error("bench: a single ring action reverted");
  return gas;
}

async function batchGas(world: World, requests: RingActionRequestStruct[]): Promise<{ gas: number; skipped: number }> {
  const receipt = await (await world.registry.connect(world.relayer).executeRingActions(requests)).wait();
  const skipped = receipt!.logs.filter((l) => world.registry.interface.parseLog(l)?.name === "RingActionSkipped").length;
  return { gas: Number(receipt!.gasUsed), skipped };
}

/** A ring creation by patient `signer % patients` in a fresh scope. */
async function creation(world: World, ringSize: number, signerIndex: number): Promise<Prepared> {
  const signer = world.patients[signerIndex % world.patients.length];
  const scope = randomScope();
  const { ciphertext, contentHash } = fakeCiphertext(RECORD_BYTES);
  const action: RingAction = { kind: "createRecord", args: { scope, contentHash, locator: "0x", ciphertext } };
  const digest = ringActionDigest(await domainOf(world), "CreateRecord", { ...action.args, nonce: 0n, deadline: FAR_DEADLINE });
  const decoys = world.patients
    .filter((p) => p !== signer)
    .slice(0, ringSize - 1)
    .map((p) => p.keys.publicKey);
  const auth = authorize(signer.keys, decoys, scope, digest, 0n, FAR_DEADLINE);
  return {
    request: ringActionRequest(action, auth) as RingActionRequestStruct,
    singleData: world.registry.interface.encodeFunctionData("createRecordAnonymous", [scope, contentHash, "0x", ciphertext, auth]),
  };
}

/** A ring warrant on a record created for it (with the record's ring), for `institution`. */
async function warrant(world: World, ringSize: number, signerIndex: number, institution: string): Promise<Prepared> {
  const signer = world.patients[signerIndex % world.patients.length];
  const created = await createAnonymousRecord(world, signer, randomScope(), { ringSize });
  const auth = await warrantAuth(world, signer.keys, created.ring, created.scope, institution, WRAPPED_KEY);
  return {
    request: ringActionRequest({ kind: "warrant", args: { scope: created.scope, institution, wrappedKey: WRAPPED_KEY } }, auth) as RingActionRequestStruct,
    singleData: world.registry.interface.encodeFunctionData("warrantAnonymous", [created.scope, institution, WRAPPED_KEY, auth]),
  };
}

async function worldWithInstitution(ringSize: number) {
  const world = await deployWorld(2 * ringSize);
  await certify(world, world.institutionAccounts[0]);
  return { world, institution: await world.institutionAccounts[0].getAddress() };
}

const prepare = (world: World, action: RegistryBatchRow["action"], ringSize: number, i: number, institution: string) =>
  action === "createRecord" ? creation(world, ringSize, i) : warrant(world, ringSize, i, institution);

export async function registryBatchRows(ks: number[], ringSize: number): Promise<RegistryBatchRow[]> {
  const { world, institution } = await worldWithInstitution(ringSize);
  const rows: RegistryBatchRow[] = [];
  for (const action of ["createRecord", "warrant"] as const) {
    const measured = await measureBatches(
      ks,
      ringSize,
      (i) => prepare(world, action, ringSize, i, institution),
      async (items) => {
        const { gas, skipped } = await batchGas(
          world,
          items.map((p) => p.request),
        );
        if (skipped !== 0) throw new Error(`bench: ${skipped} of ${items.length} batched ${action} actions were skipped`);
        return gas;
      },
      (p) => singleGas(world, p),
      { freshSingles: true, label: `executeRingActions ${action}` },
    );
    rows.push(...measured.map((r) => ({ action, ...r })));
  }
  return rows;
}

export interface StaleRow {
  action: RegistryBatchRow["action"];
  /** A batch of 8 with the stale member, minus the same batch without it (same chain state, evm_snapshot). */
  inBatchGas: number;
  /** The stale action's own transaction, which reverts at the checks. */
  singleGas: number;
}

/** A ring action executed by someone else first, then sent by the relayer: in a batch of 8, and alone. */
export async function staleActionRows(ringSize: number): Promise<StaleRow[]> {
  const { world, institution } = await worldWithInstitution(ringSize);
  const rows: StaleRow[] = [];
  for (const action of ["createRecord", "warrant"] as const) {
    const stale = await prepare(world, action, ringSize, 0, institution);
    const others: RingActionRequestStruct[] = [];
    for (let i = 1; i < 8; i++) others.push((await prepare(world, action, ringSize, i, institution)).request);
    await singleGas(world, stale); // the front-run: someone else's transaction executes it first
    const snapshot = await network.provider.send("evm_snapshot", []);
    const withStale = await batchGas(world, [stale.request, ...others]);
    await network.provider.send("evm_revert", [snapshot]);
    const without = await batchGas(world, others);
    if (withStale.skipped !== 1 || without.skipped !== 0)
      throw new Error(`bench: stale ${action} batch skipped ${withStale.skipped}, fresh one ${without.skipped}`);
    const alone = await txGas(world, stale.singleData);
    if (alone.ok) throw new Error(`bench: the stale ${action} executed again`);
    rows.push({ action, inBatchGas: withStale.gas - without.gas, singleGas: alone.gas });
    console.log(`stale ${action} (ring ${ringSize}): ${withStale.gas - without.gas} gas in a batch of 8, ${alone.gas} alone`);
  }
  return rows;
}
