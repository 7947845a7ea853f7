/**
 * Deploys MedRing (verifier, ERC-2771 forwarder, RC/MRC/ALC implementations, registry), reusing every
 * contract that a previous deployment recorded and that still has code and the right wiring. Used by
 * `scripts/deploy.ts` and by the test fixtures and the benchmark, so the deploy path is what the tests run.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import type { DeployedContract } from "./deployFile";

export interface DeployOptions {
  /** Signs the deployment transactions. */
  deployer: Signer;
  /** DEFAULT_ADMIN_ROLE holder; defaults to the deployer. */
  admin?: string;
  /** First REGULATOR_ROLE holder; defaults to the deployer. */
  regulator?: string;
  /** Addresses recorded by an earlier run; each is reused when its code and wiring check out. */
  previous?: Partial<Record<DeployedContract, string>>;
  /** Registry contract to deploy: the clone-based registry or the paper-style harness (bench only). */
  registryContract?: "MedRingRegistry" | "PaperStyleRegistry";
  log?: (message: string) => void;
}

export interface DeployResult {
  addresses: Record<DeployedContract, string>;
  deployed: DeployedContract[];
  reused: DeployedContract[];
}

export async function deployMedRing(hre: HardhatRuntimeEnvironment, options: DeployOptions): Promise<DeployResult> {
  const { ethers } = hre;
  const log = options.log ?? (() => undefined);
  const deployerAddress = await options.deployer.getAddress();
  const admin = options.admin ?? deployerAddress;
  const regulator = options.regulator ?? deployerAddress;
  const registryContract = options.registryContract ?? "MedRingRegistry";
  const previous = options.previous ?? {};
  const addresses = {} as Record<DeployedContract, string>;
  const deployed: DeployedContract[] = [];
  const reused: DeployedContract[] = [];

  const hasCode = async (address: string | undefined): Promise<boolean> => address !== undefined && (await ethers.provider.getCode(address)) !== "0x";

  /** Reuses `previous[name]` if `stillValid` says so, otherwise deploys `artifact` with `args`. */
  async function ensure(name: DeployedContract, artifact: string, args: unknown[], stillValid: (address: string) => Promise<boolean>): Promise<string> {
    const recorded = previous[name];
    if (recorded !== undefined && (await hasCode(recorded)) && (await stillValid(recorded))) {
      log(`${name}: reusing ${recorded}`);
      reused.push(name);
      return (addresses[name] = recorded);
    }
    const factory = await ethers.getContractFactory(artifact, options.deployer);
    const contract = await factory.deploy(...args);
    await contract.waitForDeployment();
    const address = await contract.getAddress();
    log(`${name}: deployed ${artifact} at ${address}`);
    deployed.push(name);
    return (addresses[name] = address);
  }

  const always = async () => true;
  const verifier = await ensure("RingVerifier", "RingVerifier", [], always);
  const forwarder = await ensure("MedRingForwarder", "MedRingForwarder", [], always);
  const trustsForwarder = (artifact: string) => async (address: string) => {
    const contract = await ethers.getContractAt(artifact, address);
    return (await contract.getFunction("trustedForwarder")()) === forwarder;
  };
  const register = await ensure("PatientRegister", "PatientRegister", [forwarder], trustsForwarder("PatientRegister"));
  const record = await ensure("MedicalRecord", "MedicalRecord", [forwarder], trustsForwarder("MedicalRecord"));
  const accessList = await ensure("AccessList", "AccessList", [forwarder], trustsForwarder("AccessList"));
  await ensure("MedRingRegistry", registryContract, [admin, regulator, verifier, forwarder, register, record, accessList], async (address) => {
    const registry = await ethers.getContractAt("MedRingRegistry", address);
    const [impls, wiredVerifier, wiredForwarder] = await Promise.all([registry.implementations(), registry.verifier(), registry.trustedForwarder()]);
    return (
      wiredVerifier === verifier && wiredForwarder === forwarder && impls.register === register && impls.record === record && impls.accessList === accessList
    );
  });
  return { addresses, deployed, reused };
}
