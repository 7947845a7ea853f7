/**
 * Registered patients for an end-to-end story: an anonymous record is ring-signed with at least the policy's minimum
 * of registered patients (8 by default). A registration office, certified by the stack's devnet regulator, admits
 * `count` fresh patients, whose registrations are signed through the client library (src/client).
 */
import { join } from "node:path";
import {
  MedRingClient,
  MemoryAnonymityStore,
  certifyTransaction,
  institutionPublicInfo,
  issueAdmission,
  prepareRegister,
  sendAsRegulator,
  type SubmissionBody,
} from "../../../src/client";
import { accountAddress, generateActorKeys, type RegulatorKeys } from "../../../src/keys";
import { readKeyFile } from "../../../src/keys/file";
import { publicKeyOf } from "../../../src/mrs1";
import type { StackProcess } from "./stackProcess";

/** `count` signed registrations of new patients, each admitted by one newly certified office; nothing sent. */
export async function signedRegistrations(client: MedRingClient, stack: StackProcess, count: number): Promise<SubmissionBody[]> {
  const office = generateActorKeys("institution");
  const info = institutionPublicInfo(office);
  const regulator = readKeyFile(join(stack.stateDir, "deployments", "localhost-regulator.json")) as RegulatorKeys;
  await sendAsRegulator(client.chain, regulator, certifyTransaction(client.chain, info.address, info.encryptionKey));
  return Promise.all(
    Array.from({ length: count }, async () => {
      const patient = generateActorKeys("patient");
      const admission = await issueAdmission(client.chain, office.accountKey, {
        address: accountAddress(patient.accountKey),
        ringPublicKey: publicKeyOf(patient.ringKey),
      });
      return (await prepareRegister(client.chain, patient, admission)).body;
    }),
  );
}

/** Registers `count` decoy patients through the stack's relayer, each registration confirmed before the next is sent. */
export async function registerDecoyPatients(stack: StackProcess, count: number): Promise<void> {
  const client = await MedRingClient.connect({ relayerUrl: stack.relayerUrl, rpcUrl: stack.rpcUrl, store: new MemoryAnonymityStore() });
  try {
    // One at a time: a burst of registrations at once has outlasted the client's 30 s request timeout on a busy machine.
    for (const body of await signedRegistrations(client, stack, count)) await client.send(body);
  } finally {
    client.close();
  }
}
