/**
 * Gas per MedRing action, clones (MedRingRegistry) beside the paper's way (PaperStyleRegistry: a full
 * contract per RC, MRC and ALC deployed with `new`), measured in the same run on the in-process Hardhat
 * network. Writes bench/results/actions.md and bench/results/actions.json.
 *
 *   npm run bench:actions            (BENCH_SKIP_ANONYMOUS=1 leaves out the ring-signed rows)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import hre, { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { admissionFor, possessionFor, deployWorld, institutionEncryptionKey, recordAt, type World } from "../test/contracts/helpers/fixture";
import { createAnonymousRecord, fakeCiphertext, randomScope, unwarrantAuth, warrantAuth } from "../test/contracts/helpers/records";
import { generateKeyPair } from "../src/mrs1";

const RING_SIZES = [8, 32] as const;
/** Encrypted personal info and record sizes used for every measurement (bytes of ciphertext). */
const PERSON_INFO_BYTES = 128;
const RECORD_BYTES = 256;
/** About the size of an ECIES-wrapped 32-byte data key. */
const WRAPPED_KEY = "0x" + "5a".repeat(97);

type Variant = "medring" | "paperStyle";
interface Row {
  action: string;
  medring: number;
  paperStyle: number;
}

const gasOf = async (tx: Promise<ContractTransactionResponse>) => Number((await (await tx).wait())!.gasUsed);

async function measure(world: World, includeAnonymous: boolean): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const [institution, other] = world.institutionAccounts;
  const owner = world.patients[0];
  const regulator = world.registry.connect(world.regulator);
  await (await regulator.setRingPolicy(8, 64)).wait();

  const fresh = ethers.Wallet.createRandom().connect(ethers.provider);
  await hre.network.provider.send("hardhat_setBalance", [fresh.address, "0x56bc75e2d63100000"]);
  const keys = generateKeyPair();
  const { x, y } = keys.publicKey.toAffine();
  const admission = await admissionFor(world.registry, world.admitter, fresh.address, { x, y });
  const possession = await possessionFor(world.registry, keys, fresh.address);
  out.set(
    `register patient (${PERSON_INFO_BYTES}-byte encrypted info, admission and ring-key possession checked)`,
    await gasOf(world.registry.connect(fresh).registerPatient({ x, y }, fakeCiphertext(PERSON_INFO_BYTES).ciphertext, admission, possession)),
  );
  out.set(
    "certify institution (first time: deploys its ALC)",
    await gasOf(regulator.certifyInstitution(await institution.getAddress(), institutionEncryptionKey())),
  );
  await (await regulator.certifyInstitution(await other.getAddress(), institutionEncryptionKey())).wait();

  const { ciphertext, contentHash } = fakeCiphertext(RECORD_BYTES);
  const scope = randomScope();
  out.set(
    `create record, identified (${RECORD_BYTES}-byte ciphertext in the event)`,
    await gasOf(world.registry.connect(owner.account).createRecord(scope, contentHash, "0x", ciphertext)),
  );
  const record = recordAt(await world.registry.recordOf(await world.registry.identifiedRecordIdOf(owner.account.address, scope)), owner.account);
  out.set("warrant, identified (MRC + ALC in one transaction)", await gasOf(record.warrant(await institution.getAddress(), WRAPPED_KEY)));
  out.set("unwarrant, identified (MRC + ALC in one transaction)", await gasOf(record.unwarrant(await institution.getAddress())));
  out.set("subjoin (RC appends the MRC)", await gasOf(owner.register.subjoin(await record.getAddress())));

  if (includeAnonymous) {
    for (const n of RING_SIZES) {
      const created = await createAnonymousRecord(world, owner, randomScope(), { ringSize: n, ciphertext: fakeCiphertext(RECORD_BYTES).ciphertext });
      out.set(`create record, anonymous, ring of ${n}`, Number(created.receipt!.gasUsed));
    }
    const created = await createAnonymousRecord(world, owner, randomScope(), { ringSize: 8 });
    const decoys = created.ring; // later actions present the creation ring
    const inst = await institution.getAddress();
    const grant = await warrantAuth(world, owner.keys, decoys, created.scope, inst, WRAPPED_KEY);
    out.set("warrant, anonymous, ring of 8", await gasOf(world.registry.warrantAnonymous(created.scope, inst, WRAPPED_KEY, grant)));
    const revoke = await unwarrantAuth(world, owner.keys, decoys, created.scope, inst);
    out.set("unwarrant, anonymous, ring of 8", await gasOf(world.registry.unwarrantAnonymous(created.scope, inst, revoke)));
  }
  return out;
}

async function main(): Promise<void> {
  const includeAnonymous = process.env.BENCH_SKIP_ANONYMOUS !== "1";
  const patients = Math.max(...RING_SIZES);
  const results: Record<Variant, Map<string, number>> = {
    medring: await measure(await deployWorld(patients, "MedRingRegistry"), includeAnonymous),
    paperStyle: await measure(await deployWorld(patients, "PaperStyleRegistry"), includeAnonymous),
  };
  const rows: Row[] = [...results.medring.keys()].map((action) => ({
    action,
    medring: results.medring.get(action)!,
    paperStyle: results.paperStyle.get(action)!,
  }));
  const solc = hre.config.solidity.compilers[0];
  const meta = {
    command: "npm run bench:actions",
    network: "hardhat (in-process)",
    hardfork: hre.config.networks.hardhat.hardfork,
    solc: solc.version,
    optimizer: solc.settings?.optimizer,
    anonymousRowsIncluded: includeAnonymous,
    generatedAt: new Date().toISOString(),
  };
  const dir = path.join(__dirname, "results");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "actions.json"), JSON.stringify({ ...meta, rows }, null, 2) + "\n");

  const pct = (r: Row) => (((r.paperStyle - r.medring) / r.paperStyle) * 100).toFixed(1);
  const lines = [
    "# Gas per action: clones against the paper's full contract per entity",
    "",
    `Command: \`${meta.command}\` (bench/actions.ts). Network: ${meta.network}, hardfork ${meta.hardfork}, solc ${meta.solc}, optimizer ${JSON.stringify(meta.optimizer)}.`,
    "Both columns are measured in the same run with the same logic: MedRing deploys each RC, MRC and ALC as an",
    "EIP-1167 clone of one implementation; the paper's way (contracts/test/PaperStyleRegistry.sol) deploys a full",
    "contract with `new` for each. Gas is the transaction's `gasUsed` (calldata included).",
    "",
    "| action | MedRing (clones) | paper's way (`new`) | saved |",
    "|---|---:|---:|---:|",
    ...rows.map((r) => `| ${r.action} | ${r.medring.toLocaleString("en-US")} | ${r.paperStyle.toLocaleString("en-US")} | ${pct(r)}% |`),
    "",
    "Actions that deploy nothing (warrant, unwarrant, subjoin) cost a few thousand gas more with clones: each call",
    "into a clone is a DELEGATECALL to its implementation (a cold account access the first time in a transaction).",
    "Anonymous figures vary by a few thousand gas from run to run: the signatures are freshly random.",
    "",
    includeAnonymous
      ? "Anonymous rows: ring-signed with the shared MRS-1 module and verified on chain by RingVerifier."
      : "Anonymous rows left out (BENCH_SKIP_ANONYMOUS=1): they need the on-chain RingVerifier.",
    "",
  ];
  fs.writeFileSync(path.join(dir, "actions.md"), lines.join("\n"));
  console.log(lines.join("\n"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
