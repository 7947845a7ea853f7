/**
 * Registry batch rows for `npm run bench:gas`: IMedRingRegistry.executeRingActions of k ring-16 actions (creations,
 * then warrants) against the same kind of actions sent one by one through their single-action functions, on the
 * real registry and verifier deployed by the test fixture's deploy path.
 */
import { authorize, ringActionDigest, ringActionRequest, type RingActionArgs } from "../src/actions";
import type { RingActionRequestStruct } from "../typechain-types/contracts/MedRingRegistry";
import { deployWorld, type World } from "../test/contracts/helpers/fixture";
import { FAR_DEADLINE, certify, createAnonymousRecord, domainOf, fakeCiphertext, randomScope, warrantAuth } from "../test/contracts/helpers/records";
import { measureBatches, type BatchRow } from "./lib/batches";

const WRAPPED_KEY = "0x" + "ab".repeat(106); // an ECIES-wrapped 32-byte key (src/envelope/wrap.ts)
/** The ciphertext of a created record: a small FHIR resource, sealed. */
export const RECORD_BYTES = 512;

export type RegistryBatchRow = BatchRow & { action: "createRecord" | "warrant" };

interface Prepared {
  request: RingActionRequestStruct;
  /** Sends the same action alone, through its single-action function; its gas. */
  single: () => Promise<number>;
}

const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) => Number((await (await tx).wait())!.gasUsed);

/** A ring creation by patient `signer % patients` in a fresh scope. */
async function creation(world: World, ringSize: number, signerIndex: number): Promise<Prepared> {
  const signer = world.patients[signerIndex % world.patients.length];
  const scope = randomScope();
  const { ciphertext, contentHash } = fakeCiphertext(RECORD_BYTES);
  const action: RingActionArgs = { kind: "createRecord", args: { scope, contentHash, locator: "0x", ciphertext } };
  const digest = ringActionDigest(await domainOf(world), "CreateRecord", { ...action.args, nonce: 0n, deadline: FAR_DEADLINE });
  const decoys = world.patients
    .filter((p) => p !== signer)
    .slice(0, ringSize - 1)
    .map((p) => p.keys.publicKey);
  const auth = authorize(signer.keys, decoys, scope, digest, 0n, FAR_DEADLINE);
  return {
    request: ringActionRequest(action, auth) as RingActionRequestStruct,
    single: () => gasOf(world.registry.connect(world.relayer).createRecordAnonymous(scope, contentHash, "0x", ciphertext, auth)),
  };
}

/** A ring warrant on a record created for it (with the record's ring), for `institution`. */
async function warrant(world: World, ringSize: number, signerIndex: number, institution: string): Promise<Prepared> {
  const signer = world.patients[signerIndex % world.patients.length];
  const created = await createAnonymousRecord(world, signer, randomScope(), { ringSize });
  const auth = await warrantAuth(world, signer.keys, created.ring, created.scope, institution, WRAPPED_KEY);
  return {
    request: ringActionRequest({ kind: "warrant", args: { scope: created.scope, institution, wrappedKey: WRAPPED_KEY } }, auth) as RingActionRequestStruct,
    single: () => gasOf(world.registry.connect(world.relayer).warrantAnonymous(created.scope, institution, WRAPPED_KEY, auth)),
  };
}

export async function registryBatchRows(ks: number[], ringSize: number): Promise<RegistryBatchRow[]> {
  const world = await deployWorld(2 * ringSize);
  await certify(world, world.institutionAccounts[0]);
  const institution = await world.institutionAccounts[0].getAddress();
  const rows: RegistryBatchRow[] = [];
  for (const action of ["createRecord", "warrant"] as const) {
    const make = (i: number) => (action === "createRecord" ? creation(world, ringSize, i) : warrant(world, ringSize, i, institution));
    const measured = await measureBatches(
      ks,
      ringSize,
      make,
      async (items) => {
        const receipt = await (await world.registry.connect(world.relayer).executeRingActions(items.map((p) => p.request))).wait();
        const skipped = receipt!.logs.filter((l) => world.registry.interface.parseLog(l)?.name === "RingActionSkipped").length;
        if (skipped !== 0) throw new Error(`bench: ${skipped} of ${items.length} batched ${action} actions were skipped`);
        return Number(receipt!.gasUsed);
      },
      (p) => p.single(),
      { freshSingles: true, label: `executeRingActions ${action}` },
    );
    rows.push(...measured.map((r) => ({ action, ...r })));
  }
  return rows;
}
