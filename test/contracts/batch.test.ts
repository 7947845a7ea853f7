/**
 * IMedRingRegistry.executeRingActions: several ring-authorised actions in one transaction. Each action's state checks
 * run first (unless an earlier action touches its record), the signatures of the actions still standing are verified
 * with one multi-scalar multiplication, then each action runs in order; a failing check skips that action with
 * RingActionSkipped, an invalid signature among those verified reverts the whole batch.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ringActionRequest, ringHash } from "../../src/actions";
import { VerifierReason, sortRing, type Point } from "../../src/mrs1";
import { RingVerifier__factory } from "../../typechain-types";
import type { RingActionRequestStruct } from "../../typechain-types/contracts/MedRingRegistry";
import { deployWorld, recordAt, type Patient, type World } from "./helpers/fixture";
import {
  FAR_DEADLINE,
  anonymousIdFor,
  certify,
  createAnonymousRecord,
  decoysFor,
  domainOf,
  ringOf,
  signCreation,
  signWarrant,
  unwarrantAuth,
  warrantAuth,
  type CreationOptions,
} from "./helpers/records";

const WRAPPED_KEY = "0x" + "ab".repeat(90);

async function batchWorld() {
  const world = await deployWorld(12);
  const [institution, other] = world.institutionAccounts;
  await certify(world, institution);
  await certify(world, other);
  const [a, b] = world.patients;
  const recordA = await createAnonymousRecord(world, a);
  const recordB = await createAnonymousRecord(world, b);
  return {
    world,
    a,
    b,
    recordA,
    recordB,
    institution: await institution.getAddress(),
    other: await other.getAddress(),
    stranger: await world.stranger.getAddress(),
  };
}

/** A signed creation request of `signer` in a fresh scope (or `scope`), with a ring of 8 and `nonce`. */
async function creation(world: World, signer: Patient, o: CreationOptions = {}) {
  const { args, auth } = await signCreation(world, signer.keys, decoysFor(world, signer, 8), o);
  const request = ringActionRequest({ kind: "createRecord", args }, auth) as RingActionRequestStruct;
  return { request, id: anonymousIdFor(signer.keys, args.scope), ring: auth.signature.ring };
}

const warrantRequest = async (world: World, signer: Patient, ring: Point[], scope: string, institution: string, deadline = FAR_DEADLINE) =>
  ringActionRequest(
    { kind: "warrant", args: { scope, institution, wrappedKey: WRAPPED_KEY } },
    await warrantAuth(world, signer.keys, ring, scope, institution, WRAPPED_KEY, deadline),
  ) as RingActionRequestStruct;
const unwarrantRequest = async (world: World, signer: Patient, ring: Point[], scope: string, institution: string) =>
  ringActionRequest(
    { kind: "unwarrant", args: { scope, institution } },
    await unwarrantAuth(world, signer.keys, ring, scope, institution),
  ) as RingActionRequestStruct;

/** The RingActionSkipped events of a receipt: [index, id, decoded reason name]. */
function skipped(world: World, receipt: { logs: readonly { topics: readonly string[]; data: string }[] }) {
  const registry = world.registry.interface;
  const mrc = recordAt(ethers.ZeroAddress, world.stranger).interface;
  return receipt.logs
    .map((l) => registry.parseLog(l))
    .filter((e) => e?.name === "RingActionSkipped")
    .map((e) => [Number(e!.args.index), e!.args.id, (registry.parseError(e!.args.reason) ?? mrc.parseError(e!.args.reason))?.name]);
}

describe("executeRingActions (batched ring actions)", () => {
  it("executes a mix of create, warrant and unwarrant in one transaction, in order: a record created in the batch is warranted later in it", async () => {
    const { world, a, recordA, institution } = await loadFixture(batchWorld);
    const created = await creation(world, a);
    const newRing = ringOf(created.request.auth);
    const newScope = created.request.scope as string;
    const requests = [
      created.request,
      await warrantRequest(world, a, recordA.ring, recordA.scope, institution),
      // The new record's warrant signs nonce 1, the nonce the creation earlier in the batch leaves.
      ringActionRequest(
        { kind: "warrant", args: { scope: newScope, institution, wrappedKey: WRAPPED_KEY } },
        signWarrant(a.keys, newRing, {
          domain: await domainOf(world),
          scope: newScope,
          institution,
          wrappedKey: WRAPPED_KEY,
          nonce: 1n,
          deadline: FAR_DEADLINE,
        }),
      ) as RingActionRequestStruct,
    ];
    const executed = await world.registry.executeRingActions.staticCall(requests);
    expect(executed).to.equal(3n);
    const receipt = await (await world.registry.connect(world.relayer).executeRingActions(requests)).wait();
    expect(skipped(world, receipt!)).to.deep.equal([]);
    const events = receipt!.logs.map((l) => world.registry.interface.parseLog(l)).filter((e) => e?.name === "RingActionExecuted");
    expect(events.map((e) => [e!.args.id, Number(e!.args.action), e!.args.nonce])).to.deep.equal([
      [created.id, 0, 0n],
      [recordA.id, 1, 1n],
      [created.id, 1, 1n],
    ]);
    expect(await world.registry.ringNonce(created.id)).to.equal(2n);
    expect(await world.registry.recordRingHash(created.id)).to.equal(ringHash(newRing));
    expect(await recordAt(await world.registry.recordOf(created.id), world.stranger).isWarranted(institution)).to.equal(true);
    expect(await recordAt(recordA.record, world.stranger).isWarranted(institution)).to.equal(true);
  });

  it("skips each action whose checks fail, with RingActionSkipped naming the custom error, and executes the rest", async () => {
    const { world, a, b, recordA, recordB, institution, stranger } = await loadFixture(batchWorld);
    const used = await warrantRequest(world, a, recordA.ring, recordA.scope, institution);
    await (await world.registry.connect(world.relayer).executeRingActions([used])).wait(); // consumes recordA's nonce 1
    const now = BigInt(await time.latest());
    const fresh = world.patients.slice(3, 10).map((p) => p.keys.publicKey);
    const requests = [
      used, // 0: its nonce was consumed (a replay)
      await warrantRequest(world, b, recordB.ring, recordB.scope, institution, now + 5n), // 1: deadline passes below
      await warrantRequest(world, b, sortRing([b.keys.publicKey, ...fresh]), recordB.scope, institution), // 2: not the record's ring
      await warrantRequest(world, a, recordA.ring, recordA.scope, stranger), // 3: the MRC refuses an uncertified institution
      await unwarrantRequest(world, a, recordA.ring, recordA.scope, institution), // 4: fine
      (await creation(world, b, { scope: recordB.scope })).request, // 5: the record exists (nonce 0 already used)
    ];
    await time.setNextBlockTimestamp(now + 10n);
    const receipt = await (await world.registry.connect(world.relayer).executeRingActions(requests)).wait();
    expect(skipped(world, receipt!)).to.deep.equal([
      [0, recordA.id, "RegistryNonceMismatch"],
      [1, recordB.id, "RegistryDeadlineExpired"],
      [2, recordB.id, "RegistryRingMismatch"],
      [3, recordA.id, "MedicalRecordInstitutionNotCertified"],
      [5, recordB.id, "RegistryNonceMismatch"],
    ]);
    // Only action 4 took effect: recordA's nonce 2 consumed by the unwarrant, recordB untouched.
    expect(await world.registry.ringNonce(recordA.id)).to.equal(3n);
    expect(await world.registry.ringNonce(recordB.id)).to.equal(1n);
    expect(await recordAt(recordA.record, world.stranger).isWarranted(institution)).to.equal(false);
    expect(await recordAt(recordB.record, world.stranger).warrantedCount()).to.equal(0n);
  });

  it("reverts the whole batch with RegistryBatchSignatureInvalid when one signature is invalid (its index and reason)", async () => {
    const { world, a, recordA, institution } = await loadFixture(batchWorld);
    const good = (await creation(world, a)).request;
    const bad = await warrantRequest(world, a, recordA.ring, recordA.scope, institution);
    const tampered = { ...bad, institution: await world.institutionAccounts[1].getAddress() }; // signed for another institution
    await expect(world.registry.executeRingActions([good, tampered]))
      .to.be.revertedWithCustomError(world.registry, "RegistryBatchSignatureInvalid")
      .withArgs(1n, VerifierReason.ChallengeMismatch);
    expect(await world.registry.anonymousRecordCount()).to.equal(2n); // the good creation did not happen either
  });

  it("leaves a member made stale by a front-run out of the verification: it costs the relayer its checks, not its share of the MSM", async () => {
    const { world, a, b, recordA, institution } = await loadFixture(batchWorld);
    const stale = await warrantRequest(world, a, recordA.ring, recordA.scope, institution);
    const others = [(await creation(world, a)).request, (await creation(world, b)).request];
    // Someone else's transaction executes the same warrant first: the batch's copy is now a replay.
    await (await world.registry.connect(world.stranger).warrantAnonymous(stale.scope, stale.institution, stale.wrappedKey, stale.auth)).wait();
    const withStale = await world.registry.executeRingActions.estimateGas([stale, ...others]);
    const without = await world.registry.executeRingActions.estimateGas(others);
    const verifier = RingVerifier__factory.connect(await world.registry.verifier(), world.stranger);
    const oneVerification = await verifier.tryVerify.estimateGas(
      stale.scope,
      await world.registry.hashWarrant(stale.scope, stale.institution, stale.wrappedKey, 1n, FAR_DEADLINE),
      stale.auth.signature,
      stale.auth.hints,
    );
    // Its calldata (most of it: the ring and the hints), its checks (key image, record, ring hash, nonce) and the
    // RingActionSkipped event, against the ~1.2M gas of a ring-8 verification.
    expect(withStale - without < oneVerification / 5n, `stale member ${withStale - without}, verification ${oneVerification}`).to.equal(true);
    const receipt = await (await world.registry.connect(world.relayer).executeRingActions([stale, ...others])).wait();
    expect(skipped(world, receipt!)).to.deep.equal([[0, recordA.id, "RegistryNonceMismatch"]]);
  });

  it("does not verify a member whose checks already fail (even a forged one is only skipped), and names the right index of an invalid one after it", async () => {
    const { world, a, recordA, institution } = await loadFixture(batchWorld);
    const expired = await warrantRequest(world, a, recordA.ring, recordA.scope, institution, BigInt(await time.latest()) + 2n);
    const forged = { ...expired, institution: await world.institutionAccounts[1].getAddress() }; // signature does not cover it
    const good = (await creation(world, a)).request;
    await time.increase(10);
    const receipt = await (await world.registry.connect(world.relayer).executeRingActions([forged, good])).wait();
    expect(skipped(world, receipt!)).to.deep.equal([[0, recordA.id, "RegistryDeadlineExpired"]]);
    const bad = await warrantRequest(world, a, recordA.ring, recordA.scope, institution);
    const tampered = { ...bad, institution: await world.institutionAccounts[1].getAddress() };
    // Member 0 is left out of the verification, so the invalid member is check 0 of the MSM but index 1 of the batch.
    await expect(world.registry.executeRingActions([forged, tampered]))
      .to.be.revertedWithCustomError(world.registry, "RegistryBatchSignatureInvalid")
      .withArgs(1n, VerifierReason.ChallengeMismatch);
  });

  it("executes nothing and calls no verifier when every member fails its checks", async () => {
    const { world, a, b, recordA, recordB, institution } = await loadFixture(batchWorld);
    const used = [
      await warrantRequest(world, a, recordA.ring, recordA.scope, institution),
      await warrantRequest(world, b, recordB.ring, recordB.scope, institution),
    ];
    await (await world.registry.connect(world.relayer).executeRingActions(used)).wait();
    expect(await world.registry.executeRingActions.staticCall(used)).to.equal(0n);
    const receipt = await (await world.registry.connect(world.relayer).executeRingActions(used)).wait();
    expect(skipped(world, receipt!)).to.deep.equal([
      [0, recordA.id, "RegistryNonceMismatch"],
      [1, recordB.id, "RegistryNonceMismatch"],
    ]);
    // Little more than the two members' calldata (priced at EIP-7623's floor when a transaction executes this
    // little), against the ~1.2M gas of one ring-8 verification.
    expect(receipt!.gasUsed < 400_000n, `gas ${receipt!.gasUsed}`).to.equal(true);
  });

  it("reverts with RegistryBatchSizeInvalid for an empty batch and for more than MAX_RING_ACTIONS_PER_BATCH", async () => {
    const { world, a } = await loadFixture(batchWorld);
    const max = await world.registry.MAX_RING_ACTIONS_PER_BATCH();
    await expect(world.registry.executeRingActions([])).to.be.revertedWithCustomError(world.registry, "RegistryBatchSizeInvalid").withArgs(0n, max);
    const one = (await creation(world, a)).request;
    const tooMany = Array.from({ length: Number(max) + 1 }, () => one);
    await expect(world.registry.executeRingActions(tooMany))
      .to.be.revertedWithCustomError(world.registry, "RegistryBatchSizeInvalid")
      .withArgs(max + 1n, max);
  });

  it("costs less than the same actions sent one by one (coarse bound; bench:gas measures it)", async () => {
    const { world } = await loadFixture(batchWorld);
    const requests = await Promise.all(world.patients.slice(0, 4).map(async (p) => (await creation(world, p)).request));
    const batchGas = await world.registry.executeRingActions.estimateGas(requests);
    let singles = 0n;
    for (const r of requests) {
      singles += await world.registry.createRecordAnonymous.estimateGas(r.scope, r.contentHash, r.locator, r.ciphertext, r.auth);
    }
    expect(batchGas < singles).to.equal(true);
  });
});
