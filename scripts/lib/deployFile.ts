/**
 * `deployments/<network>.json`: what `scripts/deploy.ts` deployed where, so a second run reuses it.
 * Parsed once at the edge (Validate at the edges, trust inside): a malformed file throws naming the field.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isAddress } from "ethers";

/** Every contract the deployment consists of, in deployment order. */
export const DEPLOYED_CONTRACTS = ["RingVerifier", "MedRingForwarder", "PatientRegister", "MedicalRecord", "AccessList", "MedRingRegistry"] as const;
export type DeployedContract = (typeof DEPLOYED_CONTRACTS)[number];

export interface DeploymentFile {
  network: string;
  chainId: string;
  contracts: Partial<Record<DeployedContract, string>>;
  updatedAt: string;
}

export function deploymentPath(network: string, root = process.cwd()): string {
  if (!/^[A-Za-z0-9_-]+$/.test(network)) throw new Error(`network name ${JSON.stringify(network)} is not a safe file name`);
  return path.join(root, "deployments", `${network}.json`);
}

/** The recorded deployment, or undefined when the file does not exist. Throws on a malformed file. */
export function readDeployment(file: string): DeploymentFile | undefined {
  if (!fs.existsSync(file)) return undefined;
  const raw: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (typeof raw !== "object" || raw === null) throw new Error(`${file}: not a JSON object`);
  const obj = raw as Record<string, unknown>;
  if (typeof obj.network !== "string") throw new Error(`${file}: network must be a string`);
  if (typeof obj.chainId !== "string") throw new Error(`${file}: chainId must be a decimal string`);
  if (typeof obj.contracts !== "object" || obj.contracts === null) throw new Error(`${file}: contracts must be an object`);
  const contracts: Partial<Record<DeployedContract, string>> = {};
  for (const [name, address] of Object.entries(obj.contracts as Record<string, unknown>)) {
    if (!(DEPLOYED_CONTRACTS as readonly string[]).includes(name)) throw new Error(`${file}: unknown contract ${name}`);
    if (typeof address !== "string" || !isAddress(address)) throw new Error(`${file}: contracts.${name} is not an address`);
    contracts[name as DeployedContract] = address;
  }
  return { network: obj.network, chainId: obj.chainId, contracts, updatedAt: String(obj.updatedAt ?? "") };
}

export function writeDeployment(file: string, deployment: DeploymentFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(deployment, null, 2) + "\n");
}
