import fs from "node:fs";
import { z } from "zod";
import { address } from "../api/schemas";

/**
 * `deployments/<network>.json` as scripts/deploy.ts writes it: `{network, chainId, contracts: {name: address}}`.
 * The relayer needs the registry and the ERC-2771 forwarder; the rest is shown on /v1/status.
 */
const deploymentFile = z.looseObject({
  network: z.string(),
  chainId: z.string().regex(/^[0-9]+$/),
  contracts: z.looseObject({ MedRingRegistry: address, MedRingForwarder: address }).catchall(address),
});

export interface Deployment {
  chainId: bigint;
  registry: string;
  forwarder: string;
  contracts: Record<string, string>;
}

export function readDeployment(file: string): Deployment {
  if (!fs.existsSync(file)) throw new Error(`deployment file ${file} does not exist (deploy first, or set MEDRING_RELAYER_DEPLOYMENT)`);
  const parsed = deploymentFile.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`deployment file ${file}: ${i.path.join(".")}: ${i.message}`);
  }
  const d = parsed.data;
  return {
    chainId: BigInt(d.chainId),
    registry: d.contracts.MedRingRegistry,
    forwarder: d.contracts.MedRingForwarder,
    contracts: d.contracts as Record<string, string>,
  };
}
