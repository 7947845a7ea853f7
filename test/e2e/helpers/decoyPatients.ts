/**
 * The anonymity set an end-to-end story needs: an anonymous record is ring-signed with at least the policy's
 * minimum of registered patients (8 by default). A registration office, certified by the stack's devnet regulator,
 * admits `count` fresh patients, who register through the client library (src/client).
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
} from "../../../src/client";
import { accountAddress, generateActorKeys, type RegulatorKeys } from "../../../src/keys";
import { readKeyFile } from "../../../src/keys/file";
import { publicKeyOf } from "../../../src/mrs1";
import type { StackProcess } from "./stackProcess";

export async function registerDecoyPatients(stack: StackProcess, count: number): Promise<void> {
  const client = await MedRingClient.connect({ relayerUrl: stack.relayerUrl, rpcUrl: stack.rpcUrl, store: new MemoryAnonymityStore() });
  try {
    const office = generateActorKeys("institution");
    const info = institutionPublicInfo(office);
    const regulator = readKeyFile(join(stack.stateDir, "deployments", "localhost-regulator.json")) as RegulatorKeys;
    await sendAsRegulator(client.chain, regulator, certifyTransaction(client.chain, info.address, info.encryptionKey));
    await Promise.all(
      Array.from({ length: count }, async () => {
        const keys = generateActorKeys("patient");
        const admission = await issueAdmission(client.chain, office.accountKey, {
          address: accountAddress(keys.accountKey),
          ringPublicKey: publicKeyOf(keys.ringKey),
        });
        return client.send((await prepareRegister(client.chain, keys, admission)).body);
      }),
    );
  } finally {
    client.close();
  }
}
