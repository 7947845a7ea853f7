/**
 * `npm run demo`: the paper's whole story on a running `npm start` stack (default URLs), or with
 * `-- --self-contained` on a stack of its own (free ports, temporary directory, stopped at the end):
 *   the regulator certifies 3 institutions (ALC); 20 patients, each admitted by a certified institution, register
 *   (RC) and join the anonymity set, while an admission by the uncertified 4th is refused;
 *   patients create anonymous, encrypted FHIR R4 records (ring-signed, relayed); they grant institutions;
 *   one grant is revoked (the ALC drops the record in the same transaction); institutions read, check the
 *   content hash and decrypt what they were granted, and lose access to what was revoked.
 * Every step is checked; a failed check stops the demo with exit code 1. Uses the client SDK (src/client),
 * the same code as the `medring` CLI.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getBytes } from "ethers";
import {
  ClientError,
  MedRingClient,
  MemoryAnonymityStore,
  certifyTransaction,
  institutionPublicInfo,
  issueAdmission,
  listOwnRecords,
  prepareCreateRecord,
  prepareGrant,
  prepareRegister,
  prepareRevoke,
  readGrantedRecord,
  sendAsRegulator,
  type SubmissionView,
} from "../src/client";
import { scriptProgress } from "../src/cli/progress";
import { validateFhirR4 } from "../src/fhir";
import { accountAddress, generateActorKeys, type InstitutionKeys, type PatientKeys, type RegulatorKeys } from "../src/keys";
import { readKeyFile } from "../src/keys/file";
import { publicKeyOf } from "../src/mrs1";
import { IAccessList__factory } from "../typechain-types/factories/contracts/interfaces/IAccessList__factory";
import { loadStackConfig, REPO_ROOT } from "./stack/config";
import { DEFAULT_DEVNET, DEVNET_FLAGS_HELP, readDevnetFlag, type DevnetOptions } from "./stack/devnet";
import { freePort } from "./stack/processes";
import { startStack, type RunningStack } from "./stack/stack";
import { syntheticRecord, type SyntheticRecord } from "./demo/fhirSamples";
import { CERTIFIED, INSTITUTION_NAMES, PATIENTS, RECORDS, admitterOfPatient, demoGrants } from "./demo/population";

interface Options {
  selfContained: boolean;
  relayerUrl: string;
  rpcUrl: string;
  regulatorKeyFile: string;
  /** The self-contained stack's devnet client and blocks. */
  devnet: DevnetOptions;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    selfContained: false,
    relayerUrl: "http://127.0.0.1:8080",
    rpcUrl: "http://127.0.0.1:8545",
    regulatorKeyFile: join(REPO_ROOT, "deployments", "localhost-regulator.json"),
    devnet: { ...DEFAULT_DEVNET },
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (readDevnetFlag(arg, () => argv[++i], options.devnet)) continue;
    if (arg === "--self-contained") options.selfContained = true;
    else if (arg === "--relayer") options.relayerUrl = value();
    else if (arg === "--rpc") options.rpcUrl = value();
    else if (arg === "--regulator-key") options.regulatorKeyFile = value();
    else if (arg === "--help" || arg === "-h") {
      console.log(
        [
          "usage: npm run demo [-- --self-contained [--chain hardhat|anvil] [--block-time N] | --relayer URL --rpc URL --regulator-key FILE]",
          ...DEVNET_FLAGS_HELP,
        ].join("\n"),
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (!options.selfContained && (options.devnet.client !== DEFAULT_DEVNET.client || options.devnet.blockTime !== undefined))
    throw new Error("--chain and --block-time choose the devnet of --self-contained; a running stack's devnet is npm start's");
  return options;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`check failed: ${what}`);
  console.log(`    ✔ ${what}`);
}

/**
 * Every action's transaction. The relayer may send several ring actions in one transaction (relayer/README.md,
 * "Batches of ring actions"); each member's gasUsed is then the whole transaction's, so the summary splits a
 * transaction's gas evenly among the actions it carried and reports transactions separately.
 */
const gasTable: { step: string; txHash: string; gas: bigint }[] = [];
function tx(step: string, view: { txHash: string | null; gasUsed: string | null; batchIndex?: number | null }): string {
  gasTable.push({ step, txHash: view.txHash ?? "?", gas: BigInt(view.gasUsed ?? 0) });
  const batch = view.batchIndex === null || view.batchIndex === undefined ? "" : ` (the whole transaction's; action #${view.batchIndex} of a batch)`;
  return `tx ${view.txHash}  gas ${Number(view.gasUsed).toLocaleString("en-US")}${batch}`;
}

const formatGas = (gas: bigint) => gas.toLocaleString("en-US").padStart(10);

/** The gas summary: per action (a transaction's gas split among its actions) and per transaction. */
function printGasSummary(): void {
  const actionsPerTx = new Map<string, number>();
  for (const row of gasTable) actionsPerTx.set(row.txHash, (actionsPerTx.get(row.txHash) ?? 0) + 1);
  console.log("\nGas per action (a transaction that carried k actions counts gas/k for each):");
  const byStep = new Map<string, bigint[]>();
  for (const row of gasTable) byStep.set(row.step, [...(byStep.get(row.step) ?? []), row.gas / BigInt(actionsPerTx.get(row.txHash)!)]);
  for (const [step, gases] of byStep) {
    const total = gases.reduce((a, b) => a + b, 0n);
    console.log(
      `   ${step.padEnd(28)} ×${String(gases.length).padStart(2)}  mean ${formatGas(total / BigInt(gases.length))}  total ${total.toLocaleString("en-US")}`,
    );
  }
  console.log("\nGas per transaction:");
  const byShape = new Map<string, bigint[]>();
  const seen = new Set<string>();
  for (const row of gasTable) {
    if (seen.has(row.txHash)) continue;
    seen.add(row.txHash);
    const k = actionsPerTx.get(row.txHash)!;
    const shape = k === 1 ? row.step : `${row.step}, batch of ${k}`;
    byShape.set(shape, [...(byShape.get(shape) ?? []), row.gas]);
  }
  for (const [shape, gases] of byShape) {
    const total = gases.reduce((a, b) => a + b, 0n);
    console.log(
      `   ${shape.padEnd(40)} ×${String(gases.length).padStart(2)}  mean ${formatGas(total / BigInt(gases.length))}  total ${total.toLocaleString("en-US")}`,
    );
  }
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map((item, k) => fn(item, i + k)))));
  return out;
}

async function story(client: MedRingClient, regulator: RegulatorKeys): Promise<void> {
  const chain = client.chain;
  const status = await client.relayer.status();
  console.log(`\nMedRing on chain ${chain.chainId}: registry ${chain.registryAddress}, relayer ${status.relayers[0]?.address}`);
  console.log(`ring policy: rings of ${status.ringPolicy.min} to ${status.ringPolicy.max} registered patients`);

  console.log(`\n1. Institutions: the regulator certifies ${CERTIFIED}; a 4th is left uncertified.`);
  const institutions: InstitutionKeys[] = Array.from({ length: CERTIFIED + 1 }, () => generateActorKeys("institution"));
  const names = INSTITUTION_NAMES;
  for (let k = 0; k < CERTIFIED; k++) {
    const info = institutionPublicInfo(institutions[k]);
    const sent = await sendAsRegulator(chain, regulator, certifyTransaction(chain, info.address, info.encryptionKey));
    const onChain = await chain.institution(info.address);
    console.log(`   ${names[k].padEnd(14)} ${info.address}  ALC ${onChain.accessList}  ${tx("certify institution", sent)}`);
    check(onChain.certified, `${names[k]} is certified and has an access list contract`);
  }
  const uncertified = institutionPublicInfo(institutions[CERTIFIED]);
  console.log(`   ${names[CERTIFIED].padEnd(14)} ${uncertified.address}  (published its key, never certified)`);

  console.log(`\n2. ${PATIENTS} patients, each admitted by a certified institution, register (paper Protocol 1). They hold no ETH:`);
  console.log("   each signs an ERC-2771 request carrying the institution's admission, and the relayer pays.");
  const patients: PatientKeys[] = Array.from({ length: PATIENTS }, () => generateActorKeys("patient"));
  const members = (await chain.ringMembers()).length;
  const registrations = await inBatches(patients, 10, async (keys, i) => {
    const admitter = institutions[admitterOfPatient(i)];
    const admission = await issueAdmission(chain, admitter.accountKey, { address: accountAddress(keys.accountKey), ringPublicKey: publicKeyOf(keys.ringKey) });
    const prepared = await prepareRegister(chain, keys, admission, new TextEncoder().encode(`Synthetic Patient ${i + 1}, demo only`));
    return client.send(prepared.body);
  });
  registrations.forEach((view, i) => {
    const line = `   patient ${String(i + 1).padStart(2)} ${accountAddress(patients[i].accountKey)} admitted by ${names[admitterOfPatient(i)].padEnd(14)} ${tx("register patient", view)}`;
    if (i < 3 || i === PATIENTS - 1) console.log(line);
    else if (i === 3) console.log("   …");
  });
  check((await chain.ringMembers()).length === members + PATIENTS, `the anonymity set grew by all ${PATIENTS} ring keys`);
  try {
    await issueAdmission(chain, institutions[CERTIFIED].accountKey, {
      address: accountAddress(patients[0].accountKey),
      ringPublicKey: publicKeyOf(patients[0].ringKey),
    });
    throw new Error("check failed: the uncertified institution issued an admission");
  } catch (err) {
    if (!(err instanceof ClientError) || err.code !== "not_admitter") throw err;
    check(true, `${names[CERTIFIED]} cannot admit patients (no fake members): ${err.message}`);
  }

  console.log(`\n3. ${RECORDS} patients create anonymous records: FHIR R4 Bundles, validated, encrypted on the client, ring-signed.`);
  const samples: SyntheticRecord[] = Array.from({ length: RECORDS }, (_, i) => syntheticRecord(i));
  for (const sample of samples) check(validateFhirR4(sample.bundle).ok, `sample ${sample.marker.slice(-12)} is valid FHIR R4`);
  const created = await inBatches(samples, 3, async (sample, i) => {
    const prepared = await prepareCreateRecord(client, patients[i], { plaintext: new TextEncoder().encode(sample.json) });
    return { info: prepared.info, view: await client.send(prepared.body) };
  });
  for (const [i, { info, view }] of created.entries()) {
    console.log(`   patient ${i + 1}: record ${info.recordId} (ring of ${info.ringSize} from ${info.cohort})  ${tx("create record (anonymous)", view)}`);
    const receipt = await chain.provider.getTransactionReceipt(view.txHash!);
    check(receipt!.from.toLowerCase() === status.relayers[0].address.toLowerCase(), `sent by the relayer, not by patient ${i + 1}'s account`);
  }

  console.log("\n4. Grants (paper Protocol 2, warrant): the data key is wrapped for the institution; its ALC lists the record in the same transaction.");
  const grants = demoGrants(created.length);
  for (const g of grants) {
    const info = institutionPublicInfo(institutions[g.institution]);
    const prepared = await prepareGrant(client, patients[g.record], created[g.record].info.recordId, info.address);
    const view = await client.send(prepared.body);
    console.log(`   record of patient ${g.record + 1} → ${names[g.institution].padEnd(14)} ${tx("warrant (anonymous)", view)}`);
  }
  for (let k = 0; k < CERTIFIED; k++) {
    const expected = grants.filter((g) => g.institution === k).length;
    check((await chain.grants(institutionPublicInfo(institutions[k]).address)).length === expected, `${names[k]}'s ALC lists ${expected} record(s)`);
  }

  console.log(`\n5. A grant to the uncertified institution is refused by the relayer before any gas is spent.`);
  try {
    const prepared = await prepareGrant(client, patients[1], created[1].info.recordId, uncertified.address, {
      encryptionKey: getBytes(uncertified.encryptionKey),
    });
    await client.send(prepared.body);
    throw new Error("check failed: the uncertified institution was granted");
  } catch (err) {
    if (!(err instanceof ClientError) || err.kind !== "refused") throw err;
    console.log(`   ${err.message}`);
    check(
      err.code === "simulation_reverted" && err.message.includes("MedicalRecordInstitutionNotCertified"),
      `refused with code ${err.code} (MedicalRecordInstitutionNotCertified)`,
    );
  }

  console.log("\n6. Institutions read what they were granted: ciphertext from the RecordCreated event, content hash checked, key unwrapped, decrypted.");
  for (const g of grants) {
    const { plaintext, grant } = await readGrantedRecord(chain, institutions[g.institution], created[g.record].info.recordId);
    const text = new TextDecoder().decode(plaintext);
    check(
      text === samples[g.record].json && grant.contentHash === created[g.record].info.contentHash,
      `${names[g.institution]} decrypted patient ${g.record + 1}'s record (hash ${grant.contentHash.slice(0, 12)}…, ${plaintext.length} bytes)`,
    );
  }

  console.log("\n7. Patient 1 revokes Hospital A (paper Protocol 2, unwarrant). Revocation stops future reads only.");
  const hospital = institutionPublicInfo(institutions[0]).address;
  const record0 = created[0].info.recordId;
  const alcAddress = (await chain.institution(hospital)).accessList;
  const before = (await chain.grants(hospital)).length;
  const revoke = await prepareRevoke(client, patients[0], record0, hospital);
  const revoked: SubmissionView = await client.send(revoke.body);
  console.log(`   ${tx("unwarrant (anonymous)", revoked)}`);
  const receipt = await chain.provider.getTransactionReceipt(revoked.txHash!);
  const alc = IAccessList__factory.createInterface();
  const delisted = receipt!.logs.filter((l) => l.address.toLowerCase() === alcAddress.toLowerCase()).map((l) => alc.parseLog(l)?.name);
  check(delisted.includes("RecordDelisted"), "the ALC emitted RecordDelisted in the revoking transaction itself");
  check((await chain.grants(hospital)).length === before - 1, `Hospital A's ALC went from ${before} to ${before - 1} record(s)`);
  try {
    await readGrantedRecord(chain, institutions[0], record0);
    throw new Error("check failed: Hospital A still reads the revoked record");
  } catch (err) {
    if (!(err instanceof ClientError) || err.code !== "not_granted") throw err;
    check(true, `Hospital A can no longer read it: ${err.message}`);
  }
  const { plaintext } = await readGrantedRecord(chain, institutions[1], record0);
  check(new TextDecoder().decode(plaintext) === samples[0].json, "Research Lab B, still granted, still reads it");

  console.log("\n8. Patient 1 recovers their records from the key file alone (scopes derived from the ring key).");
  const own = await listOwnRecords(chain, patients[0]);
  check(
    own.length === 1 && own[0].recordId === record0 && own[0].anonymous === true,
    `found ${own.length} anonymous record, matched locally against the public index: ${record0}`,
  );

  printGasSummary();
  console.log("\nDemo complete: every check passed.");
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  let stack: RunningStack | undefined;
  let stateDir: string | undefined;
  const cleanup = async () => {
    await stack?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));
  try {
    if (options.selfContained) {
      stateDir = mkdtempSync(join(tmpdir(), "medring-demo-"));
      const config = loadStackConfig({
        MEDRING_DEVNET_PORT: String(await freePort()),
        MEDRING_RELAYER_PORT: String(await freePort()),
        MEDRING_STACK_DIR: stateDir,
      });
      const progress = scriptProgress(process.stdout, process.env);
      stack = await startStack(config, { withRelayer: true, devnet: options.devnet, progress }).finally(() => progress.stop());
      options.relayerUrl = config.relayerUrl;
      options.rpcUrl = config.rpcUrl;
      options.regulatorKeyFile = stack.regulatorKeyFile;
    }
    const regulator = readKeyFile(options.regulatorKeyFile);
    if (regulator.role !== "regulator") throw new Error(`${options.regulatorKeyFile} is not a regulator key file`);
    // One process, so the anonymity set and the rings are kept in memory; the CLI keeps them in a file.
    const client = await MedRingClient.connect({ relayerUrl: options.relayerUrl, rpcUrl: options.rpcUrl, store: new MemoryAnonymityStore() });
    try {
      await story(client, regulator);
    } finally {
      client.close();
    }
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(`demo: ${(err as Error).message}`);
  process.exitCode = 1;
});
