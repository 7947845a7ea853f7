/**
 * Ring-authorised (anonymous) actions: create record, warrant, unwarrant, signed with MRS-1 over an EIP-712
 * digest (docs/design.md#anonymous-actions; IMedRingRegistry NatSpec), verified by the real RingVerifier.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { VerifierReason, generateKeyPair, keyImage, sortRing, type Point } from "../../src/mrs1";
import { accessListAt, deployWorld, recordAt, type World } from "./helpers/fixture";
import {
  FAR_DEADLINE,
  anonymousIdFor,
  anonymousIdOf,
  certify,
  createAnonymousRecord,
  decoysFor,
  domainOf,
  fakeCiphertext,
  randomScope,
  signCreation,
  signWarrant,
  unwarrantAuth,
  warrantAuth,
} from "./helpers/records";
import { medRingDomain, ringHash } from "../../src/actions";
import { deployMedRing } from "../../scripts/lib/deploy";
import hre from "hardhat";

const WRAPPED_KEY = "0x" + "ab".repeat(90);

const keyImageOf = (patient: { keys: { secretKey: bigint } }, scope: string) => keyImage(patient.keys.secretKey, ethers.getBytes(scope)).toAffine();
const keyImageHashOf = (auth: { signature: { keyImage: { x: unknown; y: unknown } } }) =>
  ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [auth.signature.keyImage.x, auth.signature.keyImage.y]));

async function anonymousWorld() {
  const world = await deployWorld(10);
  const [institution, other] = world.institutionAccounts;
  const accessList = await certify(world, institution);
  await certify(world, other);
  const owner = world.patients[0];
  const created = await createAnonymousRecord(world, owner);
  // Every later ring-signed action on the record presents its creation ring (one ring per record).
  const decoys = created.ring;
  return { world, owner, decoys, institution, other, accessList, created };
}

/** The Warrant of WRAPPED_KEY for `institution` on the record of `scope` at its first nonce after creation (1), in this registry's domain. */
async function warrantValue(world: World, scope: string, institution: string) {
  return { domain: await domainOf(world), scope, institution, wrappedKey: WRAPPED_KEY, nonce: 1n, deadline: FAR_DEADLINE };
}

describe("ring-authorised actions", () => {
  describe("createRecordAnonymous", () => {
    it("creates an MRC owned by the key image, emits RecordCreated, RecordRingFixed and RingActionExecuted, consumes nonce 0", async () => {
      const { world, created } = await loadFixture(anonymousWorld);
      const mrc = recordAt(created.record, world.stranger);
      const [account, keyImage] = await mrc.owner();
      expect(account).to.equal(ethers.ZeroAddress);
      expect(keyImage).to.not.equal(ethers.ZeroHash);
      expect(await world.registry.ringNonce(created.id)).to.equal(1n);
      const info = await mrc.query(); // anyone may read an anonymous record's info (ciphertext only)
      expect(info.contentHash).to.equal(created.contentHash);
      expect(ethers.toUtf8String(info.locator)).to.equal("medring:event");
      const events = created.receipt!.logs.map((l) => world.registry.interface.parseLog(l)?.name).filter(Boolean);
      expect(events).to.include.members(["RecordCreated", "RecordRingFixed", "RingActionExecuted"]);
    });

    it("fixes the ring: recordRingHash is the hash of the creation ring, and RecordRingFixed carries the ring", async () => {
      const { world, created } = await loadFixture(anonymousWorld);
      expect(await world.registry.recordRingHash(created.id)).to.equal(ringHash(created.ring));
      const [event] = await world.registry.queryFilter(world.registry.filters.RecordRingFixed(created.id));
      expect(event.args.ringHash).to.equal(ringHash(created.ring));
      expect(event.args.ring.map((m) => [m.x, m.y])).to.deep.equal(created.ring.map((p) => [p.toAffine().x, p.toAffine().y]));
    });

    it("derives the id from the scope and the key image, and lists it in the public index of anonymous records", async () => {
      const { world, owner, created } = await loadFixture(anonymousWorld);
      expect(created.id).to.equal(anonymousIdFor(owner.keys, created.scope));
      expect(created.id).to.not.equal(await world.registry.identifiedRecordIdOf(ethers.ZeroAddress, created.scope));
      expect(await world.registry.anonymousRecordCount()).to.equal(1n);
      expect(await world.registry.anonymousRecords(0, 10)).to.deep.equal([created.id]);
      expect(await world.registry.anonymousRecords(1, 10)).to.deep.equal([]);
    });

    it("a front-runner who takes the victim's scope first creates another record; the victim's creation still succeeds", async () => {
      const { world, owner } = await loadFixture(anonymousWorld);
      const attacker = world.patients[1];
      const scope = randomScope(); // the victim's next scope, seen in the mempool
      const squat = await createAnonymousRecord(world, attacker, scope);
      const victim = await createAnonymousRecord(world, owner, scope);
      expect(victim.id).to.not.equal(squat.id);
      const [, victimOwner] = await recordAt(victim.record, world.stranger).owner();
      expect(victimOwner).to.equal(keyImageHashOf({ signature: { keyImage: keyImageOf(owner, scope) } }));
      expect(await world.registry.anonymousRecords(1, 10)).to.deep.equal([squat.id, victim.id]); // after the fixture's record
    });

    it("reverts with RegistryNonceMismatch when the same creation is replayed", async () => {
      const { world, owner } = await loadFixture(anonymousWorld);
      const { args, auth } = await signCreation(world, owner.keys, decoysFor(world, owner, 8));
      const { scope } = args;
      const saved: Parameters<typeof world.registry.createRecordAnonymous> = [scope, args.contentHash, "0x", args.ciphertext, auth];
      await (await world.registry.connect(world.relayer).createRecordAnonymous(...saved)).wait();
      const id = anonymousIdOf(auth, scope);
      await expect(world.registry.connect(world.stranger).createRecordAnonymous(...saved))
        .to.be.revertedWithCustomError(world.registry, "RegistryNonceMismatch")
        .withArgs(id, 1n, 0n);
    });

    it("reverts with RegistrySignatureInvalid(ChallengeMismatch) when the ciphertext is tampered with", async () => {
      const { world, owner } = await loadFixture(anonymousWorld);
      const { args, auth } = await signCreation(world, owner.keys, decoysFor(world, owner, 8));
      const other = fakeCiphertext();
      await expect(world.registry.createRecordAnonymous(args.scope, other.contentHash, "0x", other.ciphertext, auth))
        .to.be.revertedWithCustomError(world.registry, "RegistrySignatureInvalid")
        .withArgs(VerifierReason.ChallengeMismatch);
    });
  });

  describe("warrantAnonymous / unwarrantAnonymous", () => {
    it("grant and revoke through the registry; the ALC follows in the same transaction; any submitter works", async () => {
      const { world, owner, decoys, institution, accessList, created } = await loadFixture(anonymousWorld);
      const inst = await institution.getAddress();
      const grant = await warrantAuth(world, owner.keys, decoys, created.scope, inst, WRAPPED_KEY);
      await expect(world.registry.connect(world.stranger).warrantAnonymous(created.scope, inst, WRAPPED_KEY, grant))
        .to.emit(recordAt(created.record, world.stranger), "RecordWarranted")
        .withArgs(inst, accessList, WRAPPED_KEY)
        .and.to.emit(accessListAt(accessList, world.stranger), "RecordListed")
        .withArgs(created.record, 0n)
        .and.to.emit(world.registry, "RingActionExecuted")
        .withArgs(created.id, keyImageHashOf(grant), 1, 1n, 8n);
      const data = await accessListAt(accessList, institution).getData(0, 10);
      expect(data.map((d) => [d.record, d.wrappedKey])).to.deep.equal([[created.record, WRAPPED_KEY]]);

      const revoke = await unwarrantAuth(world, owner.keys, decoys, created.scope, inst);
      await expect(world.registry.connect(world.relayer).unwarrantAnonymous(created.scope, inst, revoke))
        .to.emit(accessListAt(accessList, world.stranger), "RecordDelisted")
        .withArgs(created.record);
      expect(await accessListAt(accessList, institution).recordCount()).to.equal(0n);
      expect(await world.registry.ringNonce(created.id)).to.equal(3n);
    });

    it("reverts with RegistryNonceMismatch on replay", async () => {
      const { world, owner, decoys, institution, created } = await loadFixture(anonymousWorld);
      const inst = await institution.getAddress();
      const grant = await warrantAuth(world, owner.keys, decoys, created.scope, inst, WRAPPED_KEY);
      await (await world.registry.warrantAnonymous(created.scope, inst, WRAPPED_KEY, grant)).wait();
      const revoke = await unwarrantAuth(world, owner.keys, decoys, created.scope, inst);
      await (await world.registry.unwarrantAnonymous(created.scope, inst, revoke)).wait();
      await expect(world.registry.warrantAnonymous(created.scope, inst, WRAPPED_KEY, grant))
        .to.be.revertedWithCustomError(world.registry, "RegistryNonceMismatch")
        .withArgs(created.id, 3n, 1n);
    });

    it("reverts with RegistryDeadlineExpired carrying the deadline", async () => {
      const { world, owner, decoys, institution, created } = await loadFixture(anonymousWorld);
      const inst = await institution.getAddress();
      const deadline = BigInt(await time.latest()) + 60n;
      const grant = await warrantAuth(world, owner.keys, decoys, created.scope, inst, WRAPPED_KEY, deadline);
      await time.increaseTo(deadline + 1n);
      await expect(world.registry.warrantAnonymous(created.scope, inst, WRAPPED_KEY, grant))
        .to.be.revertedWithCustomError(world.registry, "RegistryDeadlineExpired")
        .withArgs(deadline);
    });

    it("accepts a signature at exactly its deadline", async () => {
      const { world, owner, decoys, institution, created } = await loadFixture(anonymousWorld);
      const inst = await institution.getAddress();
      const deadline = BigInt(await time.latest()) + 60n;
      const grant = await warrantAuth(world, owner.keys, decoys, created.scope, inst, WRAPPED_KEY, deadline);
      await time.setNextBlockTimestamp(deadline);
      await expect(world.registry.warrantAnonymous(created.scope, inst, WRAPPED_KEY, grant)).not.to.be.reverted;
    });

    for (const [what, mutate] of [
      ["the institution", (a: TamperArgs) => ({ ...a, institution: a.other })],
      ["the wrapped key", (a: TamperArgs) => ({ ...a, wrappedKey: "0x" + "cd".repeat(90) })],
      ["the deadline", (a: TamperArgs) => ({ ...a, auth: { ...a.auth, deadline: FAR_DEADLINE + 1n } })],
    ] as const) {
      it(`reverts with RegistrySignatureInvalid(ChallengeMismatch) when ${what} is tampered with`, async () => {
        const { world, owner, decoys, institution, other, created } = await loadFixture(anonymousWorld);
        const inst = await institution.getAddress();
        const auth = await warrantAuth(world, owner.keys, decoys, created.scope, inst, WRAPPED_KEY);
        const args = mutate({ institution: inst, other: await other.getAddress(), wrappedKey: WRAPPED_KEY, auth });
        await expect(world.registry.warrantAnonymous(created.scope, args.institution, args.wrappedKey, args.auth))
          .to.be.revertedWithCustomError(world.registry, "RegistrySignatureInvalid")
          .withArgs(VerifierReason.ChallengeMismatch);
      });
    }

    it("reverts with RegistryRecordNotFound when another registered patient (in the record's ring) signs for the record: their key image names another record", async () => {
      const { world, institution, created } = await loadFixture(anonymousWorld);
      const intruder = world.patients.find((p) => created.ring.some((m) => m.equals(p.keys.publicKey)) && p !== world.patients[0])!;
      const inst = await institution.getAddress();
      const auth = await warrantAuth(world, intruder.keys, created.ring, created.scope, inst, WRAPPED_KEY);
      await expect(world.registry.warrantAnonymous(created.scope, inst, WRAPPED_KEY, auth))
        .to.be.revertedWithCustomError(world.registry, "RegistryRecordNotFound")
        .withArgs(anonymousIdOf(auth, created.scope));
    });

    it("reverts with RegistryRecordNotFound when the owner signs in another scope (another key image)", async () => {
      const { world, owner, decoys, institution, created } = await loadFixture(anonymousWorld);
      const inst = await institution.getAddress();
      const auth = signWarrant(owner.keys, decoys, {
        ...(await warrantValue(world, created.scope, inst)),
        signingScope: randomScope(), // MRS-1 scope != record scope
      });
      await expect(world.registry.warrantAnonymous(created.scope, inst, WRAPPED_KEY, auth))
        .to.be.revertedWithCustomError(world.registry, "RegistryRecordNotFound")
        .withArgs(anonymousIdOf(auth, created.scope));
    });

    it("reverts with RegistryRecordNotFound for a scope that has no record", async () => {
      const { world, owner, decoys, institution } = await loadFixture(anonymousWorld);
      const scope = randomScope();
      const inst = await institution.getAddress();
      const auth = await warrantAuth(world, owner.keys, decoys, scope, inst, WRAPPED_KEY);
      await expect(world.registry.warrantAnonymous(scope, inst, WRAPPED_KEY, auth))
        .to.be.revertedWithCustomError(world.registry, "RegistryRecordNotFound")
        .withArgs(anonymousIdFor(owner.keys, scope));
    });

    for (const [what, foreignDomain] of [
      ["another chainId", async (world: World) => medRingDomain(31337n + 1n, await world.registry.getAddress())],
      [
        "another registry",
        async (world: World) =>
          medRingDomain((await ethers.provider.getNetwork()).chainId, (await deployMedRing(hre, { deployer: world.deployer })).addresses.MedRingRegistry),
      ],
    ] as const) {
      it(`reverts with RegistrySignatureInvalid(ChallengeMismatch) for a signature made for ${what}`, async () => {
        const { world, owner, decoys, institution, created } = await loadFixture(anonymousWorld);
        const inst = await institution.getAddress();
        const auth = signWarrant(owner.keys, decoys, { ...(await warrantValue(world, created.scope, inst)), domain: await foreignDomain(world) });
        await expect(world.registry.warrantAnonymous(created.scope, inst, WRAPPED_KEY, auth))
          .to.be.revertedWithCustomError(world.registry, "RegistrySignatureInvalid")
          .withArgs(VerifierReason.ChallengeMismatch);
      });
    }

    it("reverts with RegistryNonceMismatch when the nonce is ahead of the record's", async () => {
      const { world, owner, decoys, institution, created } = await loadFixture(anonymousWorld);
      const inst = await institution.getAddress();
      const auth = signWarrant(owner.keys, decoys, { ...(await warrantValue(world, created.scope, inst)), nonce: 5n });
      await expect(world.registry.warrantAnonymous(created.scope, inst, WRAPPED_KEY, auth))
        .to.be.revertedWithCustomError(world.registry, "RegistryNonceMismatch")
        .withArgs(created.id, 1n, 5n);
    });

    it("bubbles MedicalRecordInstitutionNotCertified for an institution that is not certified", async () => {
      const { world, owner, decoys, created } = await loadFixture(anonymousWorld);
      const uncertified = await world.stranger.getAddress();
      const auth = await warrantAuth(world, owner.keys, decoys, created.scope, uncertified, WRAPPED_KEY);
      await expect(world.registry.warrantAnonymous(created.scope, uncertified, WRAPPED_KEY, auth))
        .to.be.revertedWithCustomError(recordAt(created.record, world.stranger), "MedicalRecordInstitutionNotCertified")
        .withArgs(uncertified);
    });
  });

  describe("one ring per record", () => {
    async function laterWarrant(fixture: Awaited<ReturnType<typeof anonymousWorld>>, ring: Point[]) {
      const { world, created, institution, owner } = fixture;
      const inst = await institution.getAddress();
      const auth = await warrantAuth(world, owner.keys, ring, created.scope, inst, WRAPPED_KEY);
      return { auth, inst, scope: created.scope };
    }

    /** A later warrant signed with `ring` reverts with RegistryRingMismatch naming the creation ring's hash and `ring`'s. */
    async function expectRingMismatch(fixture: Awaited<ReturnType<typeof anonymousWorld>>, ring: Point[]) {
      const { world, created } = fixture;
      const { auth, inst, scope } = await laterWarrant(fixture, ring);
      await expect(world.registry.warrantAnonymous(scope, inst, WRAPPED_KEY, auth))
        .to.be.revertedWithCustomError(world.registry, "RegistryRingMismatch")
        .withArgs(created.id, ringHash(created.ring), ringHash(ring));
    }

    it("reverts with RegistryRingMismatch when a later action brings fresh decoys (the ring-intersection attack's input)", async () => {
      const fixture = await loadFixture(anonymousWorld);
      const { world, owner, created } = fixture;
      const fresh = sortRing([owner.keys.publicKey, ...world.patients.slice(2, 9).map((p) => p.keys.publicKey)]);
      expect(ringHash(fresh)).to.not.equal(ringHash(created.ring));
      await expectRingMismatch(fixture, fresh);
    });

    it("reverts with RegistryRingMismatch for a sub-ring or a super-ring of the creation ring", async () => {
      const fixture = await loadFixture(anonymousWorld);
      const { world, owner, created } = fixture;
      const dropped = created.ring.findIndex((m) => !m.equals(owner.keys.publicKey));
      const sub = created.ring.filter((_, i) => i !== dropped);
      const outside = world.patients.map((p) => p.keys.publicKey).find((k) => !created.ring.some((m) => m.equals(k)))!;
      const sup = sortRing([...created.ring, outside]);
      for (const ring of [sub, sup]) await expectRingMismatch(fixture, ring);
    });

    it("keeps accepting the creation ring after the regulator raises the policy minimum above its size (revocation is never locked out)", async () => {
      const fixture = await loadFixture(anonymousWorld);
      const { world, owner, created, decoys } = fixture;
      await (await world.registry.connect(world.regulator).setRingPolicy(9, 64)).wait();
      const { auth, inst, scope } = await laterWarrant(fixture, decoys);
      await (await world.registry.warrantAnonymous(scope, inst, WRAPPED_KEY, auth)).wait();
      const revoke = await unwarrantAuth(world, owner.keys, decoys, scope, inst);
      await expect(world.registry.unwarrantAnonymous(scope, inst, revoke))
        .to.emit(world.registry, "RingActionExecuted")
        .withArgs(created.id, keyImageHashOf(revoke), 2, 2n, 8n);
    });
  });

  describe("ring policy and membership at creation", () => {
    async function signedCreation(fixture: Awaited<ReturnType<typeof anonymousWorld>>, decoys: Point[]) {
      const { world, owner } = fixture;
      const { args, auth } = await signCreation(world, owner.keys, decoys);
      return { send: () => world.registry.createRecordAnonymous(args.scope, args.contentHash, "0x", args.ciphertext, auth) };
    }

    it("reverts with RegistryRingTooSmall below the minimum", async () => {
      const fixture = await loadFixture(anonymousWorld);
      const { world, owner } = fixture;
      const { send } = await signedCreation(fixture, decoysFor(world, owner, 7));
      await expect(send()).to.be.revertedWithCustomError(world.registry, "RegistryRingTooSmall").withArgs(7n, 8n);
    });

    it("reverts with RegistryRingTooLarge above the maximum the regulator set", async () => {
      const fixture = await loadFixture(anonymousWorld);
      const { world, owner } = fixture;
      await (await world.registry.connect(world.regulator).setRingPolicy(8, 8)).wait();
      const { send } = await signedCreation(fixture, decoysFor(world, owner, 9));
      await expect(send()).to.be.revertedWithCustomError(world.registry, "RegistryRingTooLarge").withArgs(9n, 8n);
    });

    it("reverts with RegistryRingMemberNotRegistered when a decoy is not a registered patient key", async () => {
      const fixture = await loadFixture(anonymousWorld);
      const { world, owner } = fixture;
      const outsider = generateKeyPair().publicKey;
      const decoys = [...decoysFor(world, owner, 7), outsider];
      const { send } = await signedCreation(fixture, decoys);
      const index = sortRing([owner.keys.publicKey, ...decoys]).findIndex((p) => p.equals(outsider));
      const { x, y } = outsider.toAffine();
      await expect(send()).to.be.revertedWithCustomError(world.registry, "RegistryRingMemberNotRegistered").withArgs(BigInt(index), x, y);
    });

    it("reverts with RegistryRingMemberNotRegistered when the signer is not a registered patient", async () => {
      const { world } = await loadFixture(anonymousWorld);
      const outsider = generateKeyPair();
      const decoys = world.patients.slice(0, 7).map((p) => p.keys.publicKey);
      const { args, auth } = await signCreation(world, outsider, decoys);
      const index = sortRing([outsider.publicKey, ...decoys]).findIndex((p) => p.equals(outsider.publicKey));
      const { x, y } = outsider.publicKey.toAffine();
      await expect(world.registry.createRecordAnonymous(args.scope, args.contentHash, "0x", args.ciphertext, auth))
        .to.be.revertedWithCustomError(world.registry, "RegistryRingMemberNotRegistered")
        .withArgs(BigInt(index), x, y);
    });

    it("reverts with RegistrySignatureInvalid when a signature scalar is altered", async () => {
      const { world, owner, decoys, institution, created } = await loadFixture(anonymousWorld);
      const inst = await institution.getAddress();
      const auth = await warrantAuth(world, owner.keys, decoys, created.scope, inst, WRAPPED_KEY);
      const c = [...(auth.signature.c as bigint[])];
      c[0] = c[0] ^ 1n;
      const tampered = { ...auth, signature: { ...auth.signature, c } };
      await expect(world.registry.warrantAnonymous(created.scope, inst, WRAPPED_KEY, tampered)).to.be.revertedWithCustomError(
        world.registry,
        "RegistrySignatureInvalid",
      );
    });
  });

  it("the regulator's policy bounds are validated: RegistryRingPolicyInvalid", async () => {
    const { world } = await loadFixture(anonymousWorld);
    const limit = await world.registry.RING_SIZE_LIMIT();
    for (const [min, max] of [
      [0n, 8n],
      [9n, 8n],
      [8n, limit + 1n],
    ]) {
      await expect(world.registry.connect(world.regulator).setRingPolicy(min, max))
        .to.be.revertedWithCustomError(world.registry, "RegistryRingPolicyInvalid")
        .withArgs(min, max);
    }
  });
});

interface TamperArgs {
  institution: string;
  other: string;
  wrappedKey: string;
  auth: Awaited<ReturnType<typeof warrantAuth>>;
}
