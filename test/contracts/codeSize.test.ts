/**
 * EIP-170: a contract's runtime code is at most 24,576 bytes on Ethereum and most EVM chains. The in-process
 * Hardhat network allows more (hardhat.config.ts) so that test-only harnesses fit; every contract that
 * scripts/lib/deploy.ts deploys must still fit, or it could not be deployed to a real network.
 */
import { expect } from "chai";
import { artifacts } from "hardhat";
import { DEPLOYED_CONTRACTS } from "../../src/chain/deploymentFile";

const EIP170_MAX_CODE_SIZE = 24_576;

describe("code size", () => {
  for (const name of DEPLOYED_CONTRACTS) {
    it(`${name} fits EIP-170's ${EIP170_MAX_CODE_SIZE}-byte limit`, async () => {
      const artifact = await artifacts.readArtifact(name);
      const size = (artifact.deployedBytecode.length - 2) / 2;
      expect(size).to.be.greaterThan(0);
      expect(size).to.be.at.most(EIP170_MAX_CODE_SIZE);
    });
  }
});
