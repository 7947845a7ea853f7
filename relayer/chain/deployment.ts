import { readDeployment as readDeploymentFile } from "../../src/chain/deploymentFile";

/** What the relayer needs of `deployments/<network>.json`: the registry and the ERC-2771 forwarder; the rest is shown on /v1/status. */
export interface Deployment {
  chainId: bigint;
  registry: string;
  forwarder: string;
  contracts: Record<string, string>;
}

export function readDeployment(file: string): Deployment {
  const d = readDeploymentFile(file);
  if (d === undefined) throw new Error(`deployment file ${file} does not exist (deploy first, or set MEDRING_RELAYER_DEPLOYMENT)`);
  const { MedRingRegistry: registry, MedRingForwarder: forwarder } = d.contracts;
  if (registry === undefined || forwarder === undefined) {
    throw new Error(`deployment file ${file}: contracts: the relayer needs MedRingRegistry and MedRingForwarder`);
  }
  return { chainId: BigInt(d.chainId), registry, forwarder, contracts: d.contracts as Record<string, string> };
}
