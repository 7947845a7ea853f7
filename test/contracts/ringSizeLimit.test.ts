/**
 * RING_SIZE_LIMIT follows from a measurement (src/api/ringSizeLimit.ts): the registry's constant is the TypeScript one,
 * and that one sits RING_SIZE_SAFETY_MEMBERS under the largest ring `npm run bench:gas` measured through the registry
 * (bench/results/gas.json `registryRingLimit`: every anonymous action, alone and as a batch of one, under EIP-7825's
 * cap), within RING_SIZE_LIMIT_SLACK. When the verifier's gas changes, re-running the benchmark makes this test say
 * which way the limit must move.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import measured from "../../bench/results/gas.json";
import { MAX_RING_MEMBERS } from "../../src/api/schemas";
import { RING_SIZE_LIMIT, RING_SIZE_LIMIT_SLACK, RING_SIZE_SAFETY_MEMBERS } from "../../src/api/ringSizeLimit";
import { largestRingUnderCap } from "../../relayer/pipeline/gasBound";
import { deployWorld } from "./helpers/fixture";

const ACTIONS = ["createRecord", "warrant", "unwarrant"];
const PATHS = ["alone", "batchOfOne"];

/** The registry alone (no patients): only its constant is read. */
const registryOnly = () => deployWorld(0);

describe("RING_SIZE_LIMIT (the largest ring through the registry, measured)", () => {
  const { rows, largest } = measured.registryRingLimit;

  it("is the registry's constant, the relayer's parse bound and the bound of its gas check", async () => {
    const world = await loadFixture(registryOnly);
    expect(await world.registry.RING_SIZE_LIMIT()).to.equal(BigInt(RING_SIZE_LIMIT));
    expect(MAX_RING_MEMBERS).to.equal(RING_SIZE_LIMIT);
    expect(largestRingUnderCap()).to.be.at.most(RING_SIZE_LIMIT);
  });

  it("the measurement covers every anonymous action, alone and as a batch of one, and its largest is their minimum", () => {
    expect(rows.map((r) => `${r.action} ${r.path}`).sort()).to.deep.equal(ACTIONS.flatMap((a) => PATHS.map((p) => `${a} ${p}`)).sort());
    expect(largest).to.equal(Math.min(...rows.map((r) => r.largest)));
    for (const r of rows) expect(r.gas, `${r.action} ${r.path}`).to.be.at.most(16_777_216);
  });

  it(`leaves ${RING_SIZE_SAFETY_MEMBERS} members of margin under the measured largest ring, and not more than ${RING_SIZE_LIMIT_SLACK} beyond it`, () => {
    expect(RING_SIZE_LIMIT, `measured ${largest}: the limit must come down (the actions got dearer)`).to.be.at.most(largest - RING_SIZE_SAFETY_MEMBERS);
    expect(RING_SIZE_LIMIT, `measured ${largest}: the limit can go up (the actions got cheaper)`).to.be.at.least(
      largest - RING_SIZE_SAFETY_MEMBERS - RING_SIZE_LIMIT_SLACK,
    );
  });
});
