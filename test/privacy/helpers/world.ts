/**
 * The world of the privacy tests: the contracts on the in-process Hardhat network behind a real JSON-RPC server,
 * a certified registration office that admits every patient, patients holding the CLI's own key files, and a
 * real relayer. Patients are registered directly on chain (their accounts are funded) to keep the set-up fast;
 * every anonymous action under test goes through the client SDK or the CLI and the relayer.
 */
import { ethers } from "hardhat";
import { Wallet } from "ethers";
import { medRingDomain, ringKeyPossession, signAdmission } from "../../../src/actions";
import { encryptionPublicKey } from "../../../src/envelope";
import { bytesToHex } from "../../../src/hex";
import { accountAddress, generateActorKeys, type InstitutionKeys, type PatientKeys } from "../../../src/keys";
import { publicKeyOf } from "../../../src/mrs1";
import type { RunningRelayer } from "../../../relayer/server";
import { deployChain, startTestRelayer, type Chain, type LogCapture } from "../../relayer/helpers/fixture";

export interface PrivacyWorld {
  chain: Chain;
  relayer: RunningRelayer;
  logs: LogCapture;
  /** The certified institution that admitted every patient. */
  office: InstitutionKeys;
  patients: PatientKeys[];
  /** Certified institutions for grants. */
  institutions: InstitutionKeys[];
  close(): Promise<void>;
}

/** Certifies `keys`' account with its encryption key (the regulator is Hardhat account #1 in deployChain). */
export async function certifyInstitution(chain: Chain, keys: InstitutionKeys): Promise<void> {
  const [, regulator] = await ethers.getSigners();
  await (
    await chain.registry.connect(regulator).certifyInstitution(accountAddress(keys.accountKey), bytesToHex(encryptionPublicKey(keys.encryptionKey)))
  ).wait();
}

/** Registers `keys` on chain from its own (funded) account, admitted by `office`. */
export async function registerDirectly(chain: Chain, office: InstitutionKeys, keys: PatientKeys): Promise<void> {
  const account = new Wallet(bytesToHex(keys.accountKey), ethers.provider);
  await ethers.provider.send("hardhat_setBalance", [account.address, ethers.toQuantity(ethers.parseEther("1"))]);
  const ringKey = publicKeyOf(keys.ringKey).toAffine();
  const { chainId } = await ethers.provider.getNetwork();
  const admission = await signAdmission(
    new Wallet(bytesToHex(office.accountKey)),
    medRingDomain(chainId, await chain.registry.getAddress()),
    account.address,
    ringKey,
    2n ** 40n,
  );
  const possession = ringKeyPossession(
    { secretKey: keys.ringKey, publicKey: publicKeyOf(keys.ringKey) },
    medRingDomain(chainId, await chain.registry.getAddress()),
    account.address,
  );
  await (await chain.registry.connect(account).registerPatient(ringKey, "0x", admission, possession)).wait();
}

/**
 * A world of admitters of unequal size: one certified institution per entry of `sizes`, admitting that many
 * patients, registered in turn (one of each admitter that still has patients to admit, round after round) as
 * admissions of several institutions would interleave. `office` is the first admitter; `institutions` all of them.
 */
export async function admittedWorld(sizes: number[]): Promise<PrivacyWorld & { admitterOf: (patient: PatientKeys) => InstitutionKeys }> {
  const chain = await deployChain(0);
  const admitters = sizes.map(() => generateActorKeys("institution"));
  for (const a of admitters) await certifyInstitution(chain, a);
  const patients: PatientKeys[] = [];
  const admitted = new Map<PatientKeys, InstitutionKeys>();
  const left = [...sizes];
  while (left.some((n) => n > 0)) {
    for (const [k, n] of left.entries()) {
      if (n === 0) continue;
      const p = generateActorKeys("patient");
      await registerDirectly(chain, admitters[k], p);
      patients.push(p);
      admitted.set(p, admitters[k]);
      left[k]--;
    }
  }
  const { relayer, logs } = await startTestRelayer(chain);
  return {
    chain,
    relayer,
    logs,
    office: admitters[0],
    patients,
    institutions: admitters,
    admitterOf: (p) => admitted.get(p)!,
    close: async () => {
      await relayer.stop();
      await chain.close();
    },
  };
}

export async function privacyWorld(patientCount: number, institutionCount: number, relayerEnv: Record<string, string> = {}): Promise<PrivacyWorld> {
  const chain = await deployChain(0);
  const office = generateActorKeys("institution");
  await certifyInstitution(chain, office);
  const patients = Array.from({ length: patientCount }, () => generateActorKeys("patient"));
  for (const p of patients) await registerDirectly(chain, office, p);
  const institutions = Array.from({ length: institutionCount }, () => generateActorKeys("institution"));
  for (const i of institutions) await certifyInstitution(chain, i);
  const { relayer, logs } = await startTestRelayer(chain, relayerEnv);
  return {
    chain,
    relayer,
    logs,
    office,
    patients,
    institutions,
    close: async () => {
      await relayer.stop();
      await chain.close();
    },
  };
}
