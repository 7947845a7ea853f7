/**
 * The MedRing test world, deployed through the real deploy path (scripts/lib/deploy.ts, Semaphore-style):
 * admin, regulator, a relayer, a stranger, an admitter (ADMITTER_ROLE), institutions and registered patients with MRS-1
 * keys, each admitted by the admitter.
 */
import hre, { ethers } from "hardhat";
import { setBalance } from "@nomicfoundation/hardhat-network-helpers";
import type { HDNodeWallet, Signer } from "ethers";
import { deployMedRing } from "../../../scripts/lib/deploy";
import { generateKeyPair, type KeyPair } from "../../../src/mrs1";
import { medRingDomain, ringKeyPossession, signAdmission, type AdmissionArgs, type RingKeyPossessionArgs } from "../../../src/actions";
import {
  AccessList__factory,
  MedicalRecord__factory,
  MedRingForwarder__factory,
  MedRingRegistry__factory,
  PatientRegister__factory,
  type MedRingForwarder,
  type MedRingRegistry,
  type PatientRegister,
} from "../../../typechain-types";

export interface Patient {
  account: HDNodeWallet;
  keys: KeyPair;
  register: PatientRegister;
}

export interface World {
  registry: MedRingRegistry;
  forwarder: MedRingForwarder;
  deployer: Signer;
  admin: Signer;
  regulator: Signer;
  relayer: Signer;
  stranger: Signer;
  /** Holds ADMITTER_ROLE (granted by the regulator): signs the patients' admissions. */
  admitter: Signer;
  /** Hardhat accounts left for institutions. */
  institutionAccounts: Signer[];
  patients: Patient[];
}

/** A 33-byte SEC1 compressed secp256k1 encryption key, as the envelope module's institutions use. */
export function institutionEncryptionKey(): string {
  return ethers.SigningKey.computePublicKey(ethers.Wallet.createRandom().privateKey, true);
}

/** Far enough in the future for any test's admission. */
export const ADMISSION_DEADLINE = 2n ** 40n;

/** `admitter`'s admission of `patient` with ring key `ringKey` in `registry` (MedRingTypes.Admission). */
export async function admissionFor(
  registry: MedRingRegistry,
  admitter: Signer,
  patient: string,
  ringKey: { x: bigint; y: bigint },
  deadline = ADMISSION_DEADLINE,
): Promise<AdmissionArgs> {
  const { chainId } = await ethers.provider.getNetwork();
  return signAdmission(admitter, medRingDomain(chainId, await registry.getAddress()), patient, ringKey, deadline);
}

/** The ring-key possession proof of `keys` for `patient`'s registration in `registry` (MedRingTypes.RingKeyPossession). */
export async function possessionFor(registry: MedRingRegistry, keys: KeyPair, patient: string): Promise<RingKeyPossessionArgs> {
  const { chainId } = await ethers.provider.getNetwork();
  return ringKeyPossession(keys, medRingDomain(chainId, await registry.getAddress()), patient);
}

/** Registers `count` fresh patients (funded random accounts, fresh MRS-1 keys), admitted by `admitter`. */
export async function registerPatients(registry: MedRingRegistry, admitter: Signer, count: number): Promise<Patient[]> {
  const patients: Patient[] = [];
  for (let i = 0; i < count; i++) {
    const account = ethers.Wallet.createRandom().connect(ethers.provider);
    await setBalance(account.address, 10n ** 20n);
    const keys = generateKeyPair();
    const { x, y } = keys.publicKey.toAffine();
    const admission = await admissionFor(registry, admitter, account.address, { x, y });
    await (await registry.connect(account).registerPatient({ x, y }, "0x", admission, await possessionFor(registry, keys, account.address))).wait();
    const register = PatientRegister__factory.connect(await registry.registerOf(account.address), account);
    patients.push({ account, keys, register });
  }
  return patients;
}

/** Deploys everything and registers `patientCount` patients (default 10: enough for the default minimum ring of 8). */
export async function deployWorld(patientCount = 10, registryContract: "MedRingRegistry" | "PaperStyleRegistry" = "MedRingRegistry"): Promise<World> {
  const [deployer, admin, regulator, relayer, stranger, admitter, ...institutionAccounts] = await ethers.getSigners();
  const { addresses } = await deployMedRing(hre, {
    deployer,
    admin: await admin.getAddress(),
    regulator: await regulator.getAddress(),
    registryContract,
  });
  const registry = MedRingRegistry__factory.connect(addresses.MedRingRegistry, deployer);
  const forwarder = MedRingForwarder__factory.connect(addresses.MedRingForwarder, deployer);
  await (await registry.connect(regulator).grantRole(await registry.ADMITTER_ROLE(), await admitter.getAddress())).wait();
  const patients = await registerPatients(registry, admitter, patientCount);
  return { registry, forwarder, deployer, admin, regulator, relayer, stranger, admitter, institutionAccounts, patients };
}

export const recordAt = (address: string, runner: Signer) => MedicalRecord__factory.connect(address, runner);
export const accessListAt = (address: string, runner: Signer) => AccessList__factory.connect(address, runner);
