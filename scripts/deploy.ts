/**
 * Deploys MedRing to the selected network and records it in deployments/<network>.json:
 *   npx hardhat run scripts/deploy.ts --network <name>
 * Environment: MEDRING_ADMIN and MEDRING_REGULATOR (addresses; default: the deployer). A second run reuses
 * every recorded contract that still has code and the right wiring, and deploys only what is missing.
 */
import hre from "hardhat";
import { getAddress } from "ethers";
import { deployMedRing } from "./lib/deploy";
import { deploymentPath, readDeployment, writeDeployment } from "../src/chain/deploymentFile";

function optionalAddress(name: string): string | undefined {
  const value = process.env[name];
  if (value === undefined || value === "") return undefined;
  try {
    return getAddress(value);
  } catch {
    throw new Error(`${name} is not an address`);
  }
}

async function main(): Promise<void> {
  const [deployer] = await hre.ethers.getSigners();
  if (deployer === undefined) throw new Error(`network ${hre.network.name} has no signer: set MEDRING_DEPLOYER_KEY`);
  const chainId = (await hre.ethers.provider.getNetwork()).chainId.toString();
  const file = deploymentPath(hre.network.name);
  const recorded = readDeployment(file);
  if (recorded !== undefined && recorded.chainId !== chainId) {
    throw new Error(`${file} records chain ${recorded.chainId} but ${hre.network.name} is chain ${chainId}`);
  }
  const result = await deployMedRing(hre, {
    deployer,
    admin: optionalAddress("MEDRING_ADMIN"),
    regulator: optionalAddress("MEDRING_REGULATOR"),
    previous: recorded?.contracts,
    log: (message) => console.log(message),
  });
  writeDeployment(file, {
    network: hre.network.name,
    chainId,
    contracts: result.addresses,
    updatedAt: new Date().toISOString(),
  });
  console.log(`${file}: ${result.deployed.length} deployed, ${result.reused.length} reused`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
