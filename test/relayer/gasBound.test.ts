import { expect } from "chai";
import { ethers } from "hardhat";
import { generateKeyPair, parseSignatureJson, sortRing, toVerifierArgs } from "../../src/mrs1";
import { RING_SIZE_LIMIT } from "../../src/api/ringSizeLimit";
import { TX_GAS_CAP, VERIFY_GAS_MARGIN_PERCENT, checkRingGas, largestRingUnderCap, verifyGasBound } from "../../relayer/pipeline/gasBound";
import { ringJobPrincipal } from "../../relayer/pipeline/replay";
import type { RunningRelayer } from "../../relayer/server";
import { randomRingSignature } from "../../scripts/lib/randomRing";
import { ringHash } from "../../src/actions";
import { deployChain, freshScope, post, ringCreateRecord, startTestRelayer, type Chain } from "./helpers/fixture";

/**
 * Gas bounded at acceptance (README "Security model: who can make the relayer pay"): the bound comes from the
 * measured table of `npm run bench:gas`, which this test holds against the real verifier, and a ring over the
 * per-transaction cap is refused with 400 before any node call; the penalty of a failed ring job is keyed on its
 * ring, which a new scope does not change.
 */
describe("relayer gas bound and ring penalties", function () {
  this.timeout(300_000);

  describe("the measured table (bench/results/gas.json) against the real RingVerifier", function () {
    for (const n of [1, 8, 16, 48]) {
      it(`bounds a ring of ${n} from above, and is no more than ${VERIFY_GAS_MARGIN_PERCENT}% + 10% above it (else re-run npm run bench:gas)`, async function () {
        const verifier = await (await ethers.getContractFactory("RingVerifier")).deploy();
        const args = toVerifierArgs(randomRingSignature(n));
        const gas = await ethers.provider.estimateGas({
          to: await verifier.getAddress(),
          data: verifier.interface.encodeFunctionData("verify", [args.scope, args.message, args.sig, args.hints]),
        });
        const bound = verifyGasBound(n);
        expect(gas <= bound, `measured ${gas}, bound ${bound}`).to.equal(true);
        expect(gas * 110n >= bound * 100n - bound * VERIFY_GAS_MARGIN_PERCENT, `measured ${gas}, bound ${bound}: the table is stale`).to.equal(true);
      });
    }

    it("refuses exactly the rings whose bound exceeds the per-transaction cap", function () {
      const largest = largestRingUnderCap();
      expect(verifyGasBound(largest) <= TX_GAS_CAP).to.equal(true);
      expect(() => checkRingGas(largest)).to.not.throw();
      if (largest < RING_SIZE_LIMIT) {
        expect(verifyGasBound(largest + 1) > TX_GAS_CAP).to.equal(true);
        expect(() => checkRingGas(largest + 1)).to.throw(/above the 16777216 per transaction/);
      }
    });
  });

  describe("at acceptance", function () {
    let chain: Chain;
    let relayer: RunningRelayer;
    before(async function () {
      chain = await deployChain(10);
      ({ relayer } = await startTestRelayer(chain));
    });
    after(async function () {
      await relayer?.stop();
      await chain?.close();
    });

    it("answers 400 ring_gas_over_cap to a ring over the cap, for a creation and a later action, before any node call", async function () {
      const n = largestRingUnderCap() + 1;
      if (n > RING_SIZE_LIMIT) this.skip(); // every ring the schema admits fits: nothing to refuse
      const body = await ringCreateRecord(chain, chain.patients[0]);
      const ring = sortRing([chain.patients[0].publicKey, ...Array.from({ length: n - 1 }, () => generateKeyPair().publicKey)]);
      body.authorization.signature.ring = ring.map((p) => p.toHex(true).replace(/^/, "0x"));
      const calls: string[] = [];
      const send = relayer.ctx.provider.send.bind(relayer.ctx.provider);
      relayer.ctx.provider.send = (method: string, params: unknown[] | Record<string, unknown>) => {
        calls.push(method);
        return send(method, params);
      };
      try {
        for (const kind of ["createRecord", "warrant"]) {
          const b =
            kind === "createRecord"
              ? body
              : { ...body, action: { kind, args: { scope: body.action.args.scope, institution: ethers.ZeroAddress, wrappedKey: "0x01" } } };
          const res = await post(`${relayer.url}/v1/submissions`, b);
          expect(res.status, res.text).to.equal(400);
          expect(res.json.error.code).to.equal("ring_gas_over_cap");
        }
      } finally {
        relayer.ctx.provider.send = send;
      }
      expect(calls).to.deep.equal([]);
    });

    it("keys a failed ring job's penalty on its key image: its signer is refused in that scope, another patient with the very same ring is not", async function () {
      const scope = freshScope();
      const first = await ringCreateRecord(chain, chain.patients[2], { scope });
      const parsed = parseSignatureJson(first.authorization.signature);
      if (!parsed.ok) throw new Error(parsed.detail);
      await relayer.ctx.store.penalize(ringJobPrincipal(parsed.signature.keyImage), Date.now() + 60_000, "reverted on chain: RegistryNonceMismatch");
      // The same signer in the same scope (a resend with another deadline): the same key image, refused.
      const latest = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      const again = await ringCreateRecord(chain, chain.patients[2], { scope, deadline: latest + 7200n });
      const refused = await post(`${relayer.url}/v1/submissions`, again);
      expect([refused.status, refused.json.error.code], refused.text).to.deep.equal([429, "suspended"]);
      // Patient 3 signs with exactly the same eight members (the fixture's decoys are the first patients but the
      // signer): a ring penalty would lock this honest patient out; the key image penalty does not.
      const other = await ringCreateRecord(chain, chain.patients[3]);
      const otherParsed = parseSignatureJson(other.authorization.signature);
      if (!otherParsed.ok) throw new Error(otherParsed.detail);
      expect(ringHash(otherParsed.signature.ring)).to.equal(ringHash(parsed.signature.ring));
      const accepted = await post(`${relayer.url}/v1/submissions`, other);
      expect(accepted.status, accepted.text).to.equal(202);
    });
  });
});
