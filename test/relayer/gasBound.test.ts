import { expect } from "chai";
import { ethers } from "hardhat";
import { generateKeyPair, parseSignatureJson, sortRing, toVerifierArgs } from "../../src/mrs1";
import { RING_SIZE_LIMIT } from "../../src/api/ringSizeLimit";
import { TX_GAS_CAP, VERIFY_GAS_MARGIN_PERCENT, checkRingGas, largestRingUnderCap, verifyGasBound } from "../../relayer/pipeline/gasBound";
import { ringJobPrincipal } from "../../relayer/pipeline/replay";
import type { RunningRelayer } from "../../relayer/server";
import { randomRingSignature } from "../../scripts/lib/randomRing";
import { ringHash } from "../../src/actions";
import { deployChain, freshScope, get, post, ringCreateRecord, startTestRelayer, waitForStatus, type Chain } from "./helpers/fixture";
import { batchGasBound, ringActionGasBound, ringCallShape, ringJobGasBound } from "../../relayer/pipeline/actionGasBound";
import { deployWorld, type World } from "../contracts/helpers/fixture";
import { certify, decoysFor, fakeCiphertext, randomScope, ringOf, signCreation, unwarrantAuth, warrantAuth } from "../contracts/helpers/records";

/**
 * Gas bounded at acceptance and at sending (README "Security model: who can make the relayer pay"): the bounds come
 * from the measured tables of `npm run bench:gas` and bench/relayer/actionGas.ts, which this test holds against the
 * real verifier and registry; a ring over the per-transaction cap is refused with 400 before any node call; a job
 * whose estimate exceeds its whole action's honest bound is refused, or failed unsent; the penalty of a failed ring
 * job is keyed on its key image, never on the ring honest patients share.
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

  describe("the whole action's bound (bench/results/relayer-action-gas.json) against the real registry", function () {
    let world: World;
    let institution: string;
    before(async function () {
      world = await deployWorld(49);
      await (await world.registry.connect(world.regulator).setRingPolicy(1, 64)).wait(); // rings up to 48 below; the policy may not exceed RING_SIZE_LIMIT
      institution = await world.institutionAccounts[0].getAddress();
      await certify(world, world.institutionAccounts[0]);
    });

    /** Transaction gas of an honest action, and the bound the relayer derives from its calldata alone (the shape read right). */
    async function measured(send: () => Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>, data: string, shape: ReturnType<typeof ringCallShape>) {
      expect(ringCallShape(data)).to.deep.equal(shape);
      const gas = (await (await send()).wait())!.gasUsed;
      return { gas, bound: ringJobGasBound(data)! };
    }

    for (const [n, ciphertextBytes, wrappedKeyBytes] of [
      [2, 48, 97],
      [16, 4096, 33],
      [48, 98_304, 512],
    ] as const) {
      it(`bounds a ring-${n} creation (${ciphertextBytes}-byte ciphertext), warrant (${wrappedKeyBytes}-byte key) and unwarrant from above, within 15%`, async function () {
        const owner = world.patients[n % 7];
        const registry = world.registry.connect(world.relayer);
        const { args, auth } = await signCreation(world, owner.keys, decoysFor(world, owner, n), {
          scope: randomScope(),
          ciphertext: fakeCiphertext(ciphertextBytes).ciphertext,
        });
        const rows = [
          await measured(
            () => registry.createRecordAnonymous(args.scope, args.contentHash, "0x", args.ciphertext, auth),
            registry.interface.encodeFunctionData("createRecordAnonymous", [args.scope, args.contentHash, "0x", args.ciphertext, auth]),
            { kind: "createRecord", n, payloadBytes: ciphertextBytes },
          ),
        ];
        const ring = ringOf(auth);
        const wrappedKey = fakeCiphertext(wrappedKeyBytes).ciphertext;
        const grant = await warrantAuth(world, owner.keys, ring, args.scope, institution, wrappedKey);
        rows.push(
          await measured(
            () => registry.warrantAnonymous(args.scope, institution, wrappedKey, grant),
            registry.interface.encodeFunctionData("warrantAnonymous", [args.scope, institution, wrappedKey, grant]),
            { kind: "warrant", n, payloadBytes: wrappedKeyBytes },
          ),
        );
        const revoke = await unwarrantAuth(world, owner.keys, ring, args.scope, institution);
        rows.push(
          await measured(
            () => registry.unwarrantAnonymous(args.scope, institution, revoke),
            registry.interface.encodeFunctionData("unwarrantAnonymous", [args.scope, institution, revoke]),
            { kind: "unwarrant", n, payloadBytes: 0 },
          ),
        );
        for (const { gas, bound } of rows) {
          expect(gas <= bound, `measured ${gas}, bound ${bound}`).to.equal(true);
          expect(gas * 115n >= bound * 100n, `measured ${gas}, bound ${bound}: the table is stale (re-run bench/relayer/actionGas.ts)`).to.equal(true);
        }
      });
    }

    it("bounds a batch by its members' bounds plus the measured cost of batching", function () {
      const one = ringActionGasBound("createRecord", 16, 256);
      expect(batchGasBound([one, one]) > 2n * one).to.equal(true);
      expect(batchGasBound([one]) - one < one / 20n).to.equal(true);
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

    it("answers 400 to a ring over the cap or the ring size limit, for a creation and a later action, before any node call", async function () {
      // Today every ring the schema admits (RING_SIZE_LIMIT, measured through the registry) also fits the verifier's
      // cap, so the schema refuses first (invalid_request); if the verifier ever got dearer, ring_gas_over_cap would.
      const n = Math.min(largestRingUnderCap(), RING_SIZE_LIMIT) + 1;
      const expectedCode = n > RING_SIZE_LIMIT ? "invalid_request" : "ring_gas_over_cap";
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
          expect(res.json.error.code).to.equal(expectedCode);
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
      await waitForStatus(relayer.url, accepted.json.id, ["confirmed"]);
    });

    it("never sends a job whose estimate exceeds its honest bound: failed unsent before signing, refused (422) at acceptance, counted", async function () {
      // A verifier that burns ~2.6 M gas before it accepts stands for any input that would cost more than honest
      // ones of its shape (issue 22 A removed the known one): 100,000 rounds of a 26-gas loop, then (true, None).
      const verifier = await chain.registry.verifier();
      const original = await ethers.provider.getCode(verifier);
      const burner = "0x620186a05b600190038060045750600160005260406000f3";
      const signer = relayer.ctx.lanes[0].address;
      // An honest job of the shape first: its estimate is what the next one of the same shape is accepted with.
      const honest = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[4]));
      expect(honest.status, honest.text).to.equal(202);
      await waitForStatus(relayer.url, honest.json.id, ["confirmed"]);
      const nonceBefore = await ethers.provider.getTransactionCount(signer);
      await ethers.provider.send("hardhat_setCode", [verifier, burner]);
      try {
        // Accepted: the stubbed simulation and the shape's estimate cannot see the cost. Before signing, the full call
        // at the bound runs out of gas and the new estimate is above the bound: nothing is signed or paid.
        const res = await post(`${relayer.url}/v1/submissions`, await ringCreateRecord(chain, chain.patients[5]));
        expect(res.status, res.text).to.equal(202);
        const job = await waitForStatus(relayer.url, res.json.id, ["failed", "confirmed"]);
        expect(job.status, job.reason).to.equal("failed");
        expect(job.reason).to.match(/^not sent: the action needs \d+ gas, above \d+, what honest inputs of its shape cost/);
        expect(job.txHash).to.equal(null);
        expect(await ethers.provider.getTransactionCount(signer)).to.equal(nonceBefore);
        const stored = (await relayer.ctx.store.getJob(res.json.id))!;
        expect(await relayer.ctx.store.penaltyOf(stored.principal, Date.now())).to.equal(undefined);
        // Another shape (a larger ciphertext, so no estimate is known): its full estimate at acceptance is above the bound.
        const big = await ringCreateRecord(chain, chain.patients[6], { ciphertextBytes: 3000 });
        const refused = await post(`${relayer.url}/v1/submissions`, big);
        expect([refused.status, refused.json.error.code], refused.text).to.deep.equal([422, "gas_over_bound"]);
        const counted = (await relayer.ctx.metrics.gasOverBound.get()).values;
        expect(Object.fromEntries(counted.map((v) => [v.labels.stage, v.value]))).to.deep.equal({ send: 1, acceptance: 1 });
        expect(await ethers.provider.getTransactionCount(signer)).to.equal(nonceBefore);
        expect((await get(`${relayer.url}/v1/submissions/${res.json.id}`)).json.status).to.equal("failed");
      } finally {
        await ethers.provider.send("hardhat_setCode", [verifier, original]);
      }
    });
  });
});
