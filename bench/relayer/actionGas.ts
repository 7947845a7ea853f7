/**
 * The honest gas of whole ring-signed actions, the table relayer/pipeline/gasBound.ts bounds every ring job's gas limit
 * with (README "Security model: who can make the relayer pay"): createRecordAnonymous, warrantAnonymous and
 * unwarrantAnonymous through the real MedRingRegistry on the in-process Hardhat network, as the relayer sends them
 * (transaction gas: base, calldata, the registry's checks and effects, the verification). Rings of 1, 8 and 32 with the
 * smallest payload, and at ring 8 also the largest payload the relayer accepts (a 96 KiB ciphertext, a 512-byte wrapped
 * key), so that the bound can add the cost per payload byte. The verification itself is bench/results/gas.json's.
 * Writes bench/results/relayer-action-gas.json.
 *
 *   npx hardhat run bench/relayer/actionGas.ts
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ContractTransactionResponse } from "ethers";
import { deployWorld, type Patient, type World } from "../../test/contracts/helpers/fixture";
import { certify, decoysFor, fakeCiphertext, randomScope, ringOf, signCreation, unwarrantAuth, warrantAuth } from "../../test/contracts/helpers/records";
import { MAX_BYTES_HEX_DIGITS } from "../../src/api";
import { RING_SIZE_LIMIT } from "../../src/api/ringSizeLimit";

/** Ring sizes measured; each is a row of bench/results/gas.json, so that the registry's share is measured exactly. */
const RING_SIZES = [1, 8, 32] as const;
/** The ring size at which the largest payloads are measured. */
const PAYLOAD_RING = 8;
/** Smallest and largest payloads: a ciphertext (the relayer's schema limit), a wrapped key (the MRC's WRAPPED_KEY_MAX_LENGTH). */
const CIPHERTEXT_BYTES = { small: 1, large: MAX_BYTES_HEX_DIGITS / 2 };
const WRAPPED_KEY_BYTES = { small: 1, large: 512 };

export interface ActionGasRow {
  kind: "createRecord" | "warrant" | "unwarrant";
  n: number;
  /** Bytes of the action's variable payload: the ciphertext and locator of a creation, a warrant's wrapped key. */
  payloadBytes: number;
  gas: number;
}

const gasOf = async (tx: Promise<ContractTransactionResponse>) => Number((await (await tx).wait())!.gasUsed);

/** One record of `owner` with a ring of `n`: its creation, a warrant and an unwarrant, with the given payload sizes. */
async function measureRecord(world: World, owner: Patient, institution: string, n: number, ciphertextBytes: number, wrappedKeyBytes: number) {
  const registry = world.registry.connect(world.relayer);
  const ring = decoysFor(world, owner, n);
  const { args, auth } = await signCreation(world, owner.keys, ring, { scope: randomScope(), ciphertext: fakeCiphertext(ciphertextBytes).ciphertext });
  const rows: ActionGasRow[] = [
    {
      kind: "createRecord",
      n,
      payloadBytes: ciphertextBytes,
      gas: await gasOf(registry.createRecordAnonymous(args.scope, args.contentHash, "0x", args.ciphertext, auth)),
    },
  ];
  const creationRing = ringOf(auth); // later actions present the creation ring
  const wrappedKey = fakeCiphertext(wrappedKeyBytes).ciphertext;
  const grant = await warrantAuth(world, owner.keys, creationRing, args.scope, institution, wrappedKey);
  rows.push({ kind: "warrant", n, payloadBytes: wrappedKeyBytes, gas: await gasOf(registry.warrantAnonymous(args.scope, institution, wrappedKey, grant)) });
  const revoke = await unwarrantAuth(world, owner.keys, creationRing, args.scope, institution);
  rows.push({ kind: "unwarrant", n, payloadBytes: 0, gas: await gasOf(registry.unwarrantAnonymous(args.scope, institution, revoke)) });
  return rows;
}

async function main(): Promise<void> {
  const world = await deployWorld(Math.max(...RING_SIZES) + 1);
  await (await world.registry.connect(world.regulator).setRingPolicy(1, RING_SIZE_LIMIT)).wait();
  const institution = await world.institutionAccounts[0].getAddress();
  await certify(world, world.institutionAccounts[0]);
  const owner = world.patients[0];
  const rows: ActionGasRow[] = [];
  for (const n of RING_SIZES) rows.push(...(await measureRecord(world, owner, institution, n, CIPHERTEXT_BYTES.small, WRAPPED_KEY_BYTES.small)));
  const large = await measureRecord(world, owner, institution, PAYLOAD_RING, CIPHERTEXT_BYTES.large, WRAPPED_KEY_BYTES.large);
  rows.push(...large.filter((r) => r.kind !== "unwarrant"));
  for (const r of rows) console.log(r);
  const out = path.join(__dirname, "..", "results", "relayer-action-gas.json");
  fs.writeFileSync(out, JSON.stringify({ generatedBy: "npx hardhat run bench/relayer/actionGas.ts", rows }, null, 2) + "\n");
  console.log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
