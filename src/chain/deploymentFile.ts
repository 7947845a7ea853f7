/**
 * `deployments/<network>.json`: what `scripts/deploy.ts` deployed where. The deploy script reads it to reuse what
 * is there, the relayer to find the registry and the forwarder. One schema for both readers, parsed once at the
 * edge (STYLE.md: Validate at the edges, trust inside): a malformed file throws naming the field.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isAddress } from "ethers";
import { z } from "zod";

/** Every contract the deployment consists of, in deployment order. */
export const DEPLOYED_CONTRACTS = ["RingVerifier", "MedRingForwarder", "PatientRegister", "MedicalRecord", "AccessList", "MedRingRegistry"] as const;
export type DeployedContract = (typeof DEPLOYED_CONTRACTS)[number];

const contractAddress = z.string().refine((s) => isAddress(s), "expected an address (0x and 40 hex digits, EIP-55 checksummed if mixed case)");

/** The file's contents; other top-level fields are ignored, an unknown contract name is refused. */
export const deploymentFileSchema = z.object({
  network: z.string(),
  chainId: z.string().regex(/^[0-9]+$/, "expected a decimal chain id"),
  contracts: z.partialRecord(z.enum(DEPLOYED_CONTRACTS), contractAddress),
  updatedAt: z.string().optional(),
});
export type DeploymentFile = z.infer<typeof deploymentFileSchema>;

export function deploymentPath(network: string, root = process.cwd()): string {
  if (!/^[A-Za-z0-9_-]+$/.test(network)) throw new Error(`network name ${JSON.stringify(network)} is not a safe file name`);
  return path.join(root, "deployments", `${network}.json`);
}

/** The recorded deployment, or undefined when the file does not exist. Throws on a malformed file. */
export function readDeployment(file: string): DeploymentFile | undefined {
  if (!fs.existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`deployment file ${file}: not JSON (${(err as Error).message})`);
  }
  const parsed = deploymentFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`deployment file ${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  return parsed.data;
}

export function writeDeployment(file: string, deployment: DeploymentFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(deployment, null, 2) + "\n");
}
