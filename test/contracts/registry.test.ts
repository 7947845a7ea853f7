/**
 * The registry's identified flows and the RC / MRC / ALC behaviour behind them (paper section 3, Protocols 1-3).
 */
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { generateKeyPair, P_FIELD } from "../../src/mrs1";
import { deployMedRing } from "../../scripts/lib/deploy";
import { accessListAt, admissionFor, deployWorld, institutionEncryptionKey, possessionFor, recordAt } from "./helpers/fixture";
import { certify, createIdentifiedRecord, fakeCiphertext, randomScope } from "./helpers/records";
import { RING_KEY_POSSESSION_SCOPE, admissionDigest, medRingDomain, ringKeyPossessionDigest } from "../../src/actions";

async function world() {
  const w = await deployWorld(10);
  const [institution, second] = w.institutionAccounts;
  const accessList = await certify(w, institution);
  return { w, institution, second, accessList, owner: w.patients[0] };
}

describe("MedRingRegistry", () => {
  describe("registerPatient", () => {
    it("deploys an RC bound to the caller and adds the ring key to the anonymity set", async () => {
      const { w, owner } = await loadFixture(world);
      expect(await owner.register.owner()).to.equal(owner.account.address);
      const { x, y } = owner.keys.publicKey.toAffine();
      expect(await owner.register.ringKey()).to.deep.equal([x, y]);
      expect(await w.registry.isRingMember(x, y)).to.equal(true);
      expect(await w.registry.ringMemberCount()).to.equal(10n);
    });

    it("pages the anonymity set in registration order (empty past the end)", async () => {
      const { w } = await loadFixture(world);
      const page = await w.registry.ringMembers(3, 4);
      expect(page.map((p) => p.x)).to.deep.equal(w.patients.slice(3, 7).map((p) => p.keys.publicKey.toAffine().x));
      expect(await w.registry.ringMembers(8, 100)).to.have.length(2);
      expect(await w.registry.ringMembers(10, 5)).to.have.length(0);
    });

    it("reverts with RegistryPatientAlreadyRegistered on a second registration", async () => {
      const { w, owner } = await loadFixture(world);
      const keys = generateKeyPair();
      const { x, y } = keys.publicKey.toAffine();
      const admission = await admissionFor(w.registry, w.admitter, owner.account.address, { x, y });
      const possession = await possessionFor(w.registry, keys, owner.account.address);
      await expect(w.registry.connect(owner.account).registerPatient({ x, y }, "0x", admission, possession))
        .to.be.revertedWithCustomError(w.registry, "RegistryPatientAlreadyRegistered")
        .withArgs(owner.account.address);
    });

    it("reverts with RegistryRingKeyTaken when another patient's ring key is reused", async () => {
      const { w, owner } = await loadFixture(world);
      const { x, y } = owner.keys.publicKey.toAffine();
      const admission = await admissionFor(w.registry, w.admitter, await w.stranger.getAddress(), { x, y });
      const possession = await possessionFor(w.registry, owner.keys, await w.stranger.getAddress());
      await expect(w.registry.connect(w.stranger).registerPatient({ x, y }, "0x", admission, possession))
        .to.be.revertedWithCustomError(w.registry, "RegistryRingKeyTaken")
        .withArgs(x, y);
    });

    for (const [what, point] of [
      ["(0, 0)", { x: 0n, y: 0n }],
      ["a point off the curve", { x: 1n, y: 1n }],
      ["a coordinate >= p", { x: generateKeyPair().publicKey.toAffine().x + P_FIELD, y: 1n }],
    ] as const) {
      it(`reverts with RegistryRingKeyInvalid for ${what}`, async () => {
        const { w } = await loadFixture(world);
        const x = point.x >= 2n ** 256n ? 2n ** 256n - 1n : point.x;
        const admission = await admissionFor(w.registry, w.admitter, await w.stranger.getAddress(), { x, y: point.y });
        // Any proof: the key is refused before the proof is looked at.
        const possession = await possessionFor(w.registry, generateKeyPair(), await w.stranger.getAddress());
        await expect(w.registry.connect(w.stranger).registerPatient({ x, y: point.y }, "0x", admission, possession))
          .to.be.revertedWithCustomError(w.registry, "RegistryRingKeyInvalid")
          .withArgs(x, point.y);
      });
    }
  });

  describe("admission (only admitted patients join the anonymity set)", () => {
    async function newPatient(w: Awaited<ReturnType<typeof world>>["w"]) {
      const account = ethers.Wallet.createRandom().connect(ethers.provider);
      await (await w.deployer.sendTransaction({ to: account.address, value: 10n ** 18n })).wait();
      const keys = generateKeyPair();
      return { account, keys, ringKey: keys.publicKey.toAffine(), possession: await possessionFor(w.registry, keys, account.address) };
    }

    it("records the admitter: PatientRegistered names it and ringMemberAdmitter returns it", async () => {
      const { w } = await loadFixture(world);
      const { account, ringKey, possession } = await newPatient(w);
      const admission = await admissionFor(w.registry, w.admitter, account.address, ringKey);
      const admitter = await w.admitter.getAddress();
      await expect(w.registry.connect(account).registerPatient(ringKey, "0x", admission, possession))
        .to.emit(w.registry, "PatientRegistered")
        .withArgs(account.address, (r: string) => r !== ethers.ZeroAddress, admitter, ringKey.x, ringKey.y, 10n);
      expect(await w.registry.ringMemberAdmitter(ringKey.x, ringKey.y)).to.equal(admitter);
      expect(await w.registry.ringMemberAdmitter(1n, 2n)).to.equal(ethers.ZeroAddress);
    });

    it("accepts a certified institution as admitter", async () => {
      const { w, institution } = await loadFixture(world);
      const { account, ringKey, possession } = await newPatient(w);
      expect(await w.registry.isAdmitter(await institution.getAddress())).to.equal(true);
      const admission = await admissionFor(w.registry, institution, account.address, ringKey);
      await (await w.registry.connect(account).registerPatient(ringKey, "0x", admission, possession)).wait();
      expect(await w.registry.isRingMember(ringKey.x, ringKey.y)).to.equal(true);
    });

    it("reverts with RegistryAdmitterNotAuthorized for an admission signed by anyone else (no fake patients)", async () => {
      const { w, second } = await loadFixture(world);
      const { account, ringKey, possession } = await newPatient(w);
      for (const signer of [account, w.stranger, second]) {
        const admission = await admissionFor(w.registry, signer, account.address, ringKey);
        await expect(w.registry.connect(account).registerPatient(ringKey, "0x", admission, possession))
          .to.be.revertedWithCustomError(w.registry, "RegistryAdmitterNotAuthorized")
          .withArgs(await signer.getAddress());
      }
    });

    it("reverts with RegistryAdmissionSignatureInvalid when the admission names an admitter that did not sign, or another patient, ring key or deadline", async () => {
      const { w } = await loadFixture(world);
      const { account, ringKey, possession } = await newPatient(w);
      const admitter = await w.admitter.getAddress();
      const good = await admissionFor(w.registry, w.admitter, account.address, ringKey);
      const otherKey = generateKeyPair().publicKey.toAffine();
      const forged = await admissionFor(w.registry, w.stranger, account.address, ringKey);
      const cases = [
        { ...forged, admitter }, // someone else's signature presented as the admitter's
        await admissionFor(w.registry, w.admitter, await w.stranger.getAddress(), ringKey), // for another patient
        await admissionFor(w.registry, w.admitter, account.address, otherKey), // for another ring key
        { ...good, deadline: good.deadline + 1n }, // deadline changed
        { ...good, signature: "0x" + "00".repeat(65) },
      ];
      for (const admission of cases) {
        await expect(w.registry.connect(account).registerPatient(ringKey, "0x", admission, possession))
          .to.be.revertedWithCustomError(w.registry, "RegistryAdmissionSignatureInvalid")
          .withArgs(admitter);
      }
    });

    it("reverts with RegistryAdmissionExpired after the admission's deadline, and accepts it at the deadline", async () => {
      const { w } = await loadFixture(world);
      const { account, ringKey, possession } = await newPatient(w);
      const deadline = BigInt(await time.latest()) + 100n;
      const admission = await admissionFor(w.registry, w.admitter, account.address, ringKey, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(w.registry.connect(account).registerPatient(ringKey, "0x", admission, possession))
        .to.be.revertedWithCustomError(w.registry, "RegistryAdmissionExpired")
        .withArgs(deadline);
      const fresh = await admissionFor(w.registry, w.admitter, account.address, ringKey, deadline + 10n);
      await time.setNextBlockTimestamp(deadline + 10n);
      await (await w.registry.connect(account).registerPatient(ringKey, "0x", fresh, possession)).wait();
    });

    it("only the regulator grants ADMITTER_ROLE; revoking it or decertifying an institution stops new admissions but keeps admitted patients", async () => {
      const { w, institution } = await loadFixture(world);
      const role = await w.registry.ADMITTER_ROLE();
      expect(await w.registry.getRoleAdmin(role)).to.equal(await w.registry.REGULATOR_ROLE());
      await expect(w.registry.connect(w.admin).grantRole(role, await w.stranger.getAddress())).to.be.revertedWithCustomError(
        w.registry,
        "AccessControlUnauthorizedAccount",
      );

      const admitted = await newPatient(w);
      await (
        await w.registry
          .connect(admitted.account)
          .registerPatient(admitted.ringKey, "0x", await admissionFor(w.registry, institution, admitted.account.address, admitted.ringKey), admitted.possession)
      ).wait();
      await (await w.registry.connect(w.regulator).decertifyInstitution(await institution.getAddress())).wait();
      await (await w.registry.connect(w.regulator).revokeRole(role, await w.admitter.getAddress())).wait();
      expect(await w.registry.isRingMember(admitted.ringKey.x, admitted.ringKey.y)).to.equal(true);
      expect(await w.registry.ringMemberAdmitter(admitted.ringKey.x, admitted.ringKey.y)).to.equal(await institution.getAddress());

      for (const former of [institution, w.admitter]) {
        const later = await newPatient(w);
        const admission = await admissionFor(w.registry, former, later.account.address, later.ringKey);
        await expect(w.registry.connect(later.account).registerPatient(later.ringKey, "0x", admission, later.possession))
          .to.be.revertedWithCustomError(w.registry, "RegistryAdmitterNotAuthorized")
          .withArgs(await former.getAddress());
      }
    });

    it("reverts with RegistryPossessionProofInvalid when an admitter registers a patient's ring key under another account with the patient's proof (copied from a pending registration)", async () => {
      const { w } = await loadFixture(world);
      const victim = await newPatient(w);
      const accomplice = await newPatient(w);
      // The admitter signs a valid admission of the victim's ring key for its accomplice's account...
      const admission = await admissionFor(w.registry, w.admitter, accomplice.account.address, victim.ringKey);
      // ...but the only proof of possession in existence names the victim's account.
      await expect(w.registry.connect(accomplice.account).registerPatient(victim.ringKey, "0x", admission, victim.possession))
        .to.be.revertedWithCustomError(w.registry, "RegistryPossessionProofInvalid")
        .withArgs(9n); // IRingVerifier.Reason.ChallengeMismatch: the message is another account's
      expect(await w.registry.isRingMember(victim.ringKey.x, victim.ringKey.y)).to.equal(false);
      const own = await admissionFor(w.registry, w.admitter, victim.account.address, victim.ringKey);
      await (await w.registry.connect(victim.account).registerPatient(victim.ringKey, "0x", own, victim.possession)).wait();
      expect(await w.registry.registerOf(victim.account.address)).to.not.equal(ethers.ZeroAddress);
    });

    it("reverts with RegistryPossessionRingInvalid when the proof is made with another key than the one registered", async () => {
      const { w } = await loadFixture(world);
      const victim = await newPatient(w);
      const attacker = await newPatient(w);
      const admission = await admissionFor(w.registry, w.admitter, attacker.account.address, victim.ringKey);
      // The attacker's own key proves possession of itself, not of the victim's key.
      await expect(w.registry.connect(attacker.account).registerPatient(victim.ringKey, "0x", admission, attacker.possession)).to.be.revertedWithCustomError(
        w.registry,
        "RegistryPossessionRingInvalid",
      );
    });

    it("hashRingKeyPossession equals the off-chain EIP-712 digest, and the scope is keccak256 of its name", async () => {
      const { w } = await loadFixture(world);
      const { chainId } = await ethers.provider.getNetwork();
      const patient = await w.stranger.getAddress();
      expect(await w.registry.hashRingKeyPossession(patient)).to.equal(ringKeyPossessionDigest(medRingDomain(chainId, await w.registry.getAddress()), patient));
      expect(await w.registry.RING_KEY_POSSESSION_SCOPE()).to.equal(RING_KEY_POSSESSION_SCOPE);
    });

    it("admission quota: DEFAULT_ADMISSION_QUOTA until the regulator sets one; past it RegistryAdmissionQuotaExceeded; only the regulator sets it", async () => {
      const { w, institution } = await loadFixture(world);
      const admitter = await w.admitter.getAddress();
      expect(await w.registry.admissionQuota(admitter)).to.deep.equal([await w.registry.DEFAULT_ADMISSION_QUOTA(), 10n]);
      await expect(w.registry.connect(w.admin).setAdmissionQuota(admitter, 11n)).to.be.revertedWithCustomError(w.registry, "AccessControlUnauthorizedAccount");
      await expect(w.registry.connect(w.regulator).setAdmissionQuota(admitter, 2n ** 64n))
        .to.be.revertedWithCustomError(w.registry, "RegistryAdmissionQuotaInvalid")
        .withArgs(2n ** 64n);
      await expect(w.registry.connect(w.regulator).setAdmissionQuota(admitter, 11n)).to.emit(w.registry, "AdmissionQuotaSet").withArgs(admitter, 11n);

      const first = await newPatient(w);
      await (
        await w.registry
          .connect(first.account)
          .registerPatient(first.ringKey, "0x", await admissionFor(w.registry, w.admitter, first.account.address, first.ringKey), first.possession)
      ).wait();
      expect(await w.registry.admissionQuota(admitter)).to.deep.equal([11n, 11n]);
      const second = await newPatient(w);
      const admission = await admissionFor(w.registry, w.admitter, second.account.address, second.ringKey);
      await expect(w.registry.connect(second.account).registerPatient(second.ringKey, "0x", admission, second.possession))
        .to.be.revertedWithCustomError(w.registry, "RegistryAdmissionQuotaExceeded")
        .withArgs(admitter, 11n, 11n);
      // Another admitter's quota is its own.
      const other = await admissionFor(w.registry, institution, second.account.address, second.ringKey);
      await (await w.registry.connect(second.account).registerPatient(second.ringKey, "0x", other, second.possession)).wait();
      expect(await w.registry.admissionQuota(await institution.getAddress())).to.deep.equal([await w.registry.DEFAULT_ADMISSION_QUOTA(), 1n]);
    });

    it("hashAdmission equals the off-chain EIP-712 digest", async () => {
      const { w } = await loadFixture(world);
      const { account, ringKey } = await newPatient(w);
      const { chainId } = await ethers.provider.getNetwork();
      const value = { patient: account.address, ringKeyX: ringKey.x, ringKeyY: ringKey.y, deadline: 12345n };
      expect(await w.registry.hashAdmission(account.address, ringKey, 12345n)).to.equal(
        admissionDigest(medRingDomain(chainId, await w.registry.getAddress()), value),
      );
    });

    it("reverts with PatientRegisterPersonInfoTooLarge when the encrypted personal info exceeds PERSON_INFO_MAX_LENGTH", async () => {
      const { w, owner } = await loadFixture(world);
      const max = await owner.register.PERSON_INFO_MAX_LENGTH();
      const { account, ringKey, possession } = await newPatient(w);
      const admission = await admissionFor(w.registry, w.admitter, account.address, ringKey);
      const tooLarge = "0x" + "ab".repeat(Number(max) + 1);
      await expect(w.registry.connect(account).registerPatient(ringKey, tooLarge, admission, possession))
        .to.be.revertedWithCustomError(owner.register, "PatientRegisterPersonInfoTooLarge")
        .withArgs(max + 1n, max);
      await expect(owner.register.connect(owner.account).personInfo(tooLarge))
        .to.be.revertedWithCustomError(owner.register, "PatientRegisterPersonInfoTooLarge")
        .withArgs(max + 1n, max);
      await (await w.registry.connect(account).registerPatient(ringKey, "0x" + "ab".repeat(Number(max)), admission, possession)).wait();
    });
  });

  describe("certifyInstitution / decertifyInstitution", () => {
    it("re-certification reuses the ALC and records the new key", async () => {
      const { w, institution, accessList } = await loadFixture(world);
      const inst = await institution.getAddress();
      await expect(w.registry.connect(w.regulator).decertifyInstitution(inst)).to.emit(w.registry, "InstitutionDecertified").withArgs(inst, accessList);
      const key = institutionEncryptionKey();
      await expect(w.registry.connect(w.regulator).certifyInstitution(inst, key)).to.emit(w.registry, "InstitutionCertified").withArgs(inst, accessList, key);
      const info = await w.registry.institutionInfo(inst);
      expect([info.accessList, info.certified, info.encryptionKey]).to.deep.equal([accessList, true, key]);
      expect(await accessListAt(accessList, institution).institution()).to.equal(inst);
    });

    it("reverts with RegistryInstitutionAlreadyCertified / RegistryInstitutionNotCertified", async () => {
      const { w, institution, second } = await loadFixture(world);
      await expect(w.registry.connect(w.regulator).certifyInstitution(await institution.getAddress(), institutionEncryptionKey()))
        .to.be.revertedWithCustomError(w.registry, "RegistryInstitutionAlreadyCertified")
        .withArgs(await institution.getAddress());
      await expect(w.registry.connect(w.regulator).decertifyInstitution(await second.getAddress()))
        .to.be.revertedWithCustomError(w.registry, "RegistryInstitutionNotCertified")
        .withArgs(await second.getAddress());
    });

    it("reverts with RegistryEncryptionKeyInvalid for a key that is not a compressed secp256k1 point", async () => {
      const { w, second } = await loadFixture(world);
      const good = institutionEncryptionKey();
      const uncompressed = ethers.SigningKey.computePublicKey(good, false);
      const badPrefix = "0x04" + good.slice(4);
      const xAboveP = "0x02" + "ff".repeat(32);
      const xOffCurve = "0x02" + "00".repeat(31) + "05"; // 5^3 + 7 = 132 is not a square mod p
      for (const key of ["0x", "0x" + "00".repeat(32), good + "00", uncompressed, badPrefix, xAboveP, xOffCurve]) {
        await expect(w.registry.connect(w.regulator).certifyInstitution(await second.getAddress(), key))
          .to.be.revertedWithCustomError(w.registry, "RegistryEncryptionKeyInvalid")
          .withArgs(key);
      }
    });
  });

  describe("createRecord", () => {
    it("stores the ciphertext in the RecordCreated event and the marker locator in the MRC", async () => {
      const { w, owner } = await loadFixture(world);
      const created = await createIdentifiedRecord(w, owner);
      const event = created.receipt!.logs.map((l) => w.registry.interface.parseLog(l)).find((e) => e?.name === "RecordCreated")!;
      expect(event.args.ciphertext).to.equal(created.ciphertext);
      expect(ethers.keccak256(event.args.ciphertext)).to.equal(created.contentHash);
      const info = await recordAt(created.record, owner.account).query();
      expect(ethers.toUtf8String(info.locator)).to.equal("medring:event");
      expect(info.ownerAccount).to.equal(owner.account.address);
      expect(info.id).to.equal(created.id);
      expect(await w.registry.isRecord(created.record)).to.equal(true);
    });

    it("keeps a content-addressed locator as given", async () => {
      const { w, owner } = await loadFixture(world);
      const locator = ethers.toUtf8Bytes("ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
      const scope = randomScope();
      await (await w.registry.connect(owner.account).createRecord(scope, ethers.id("c"), locator, "0x")).wait();
      const record = await w.registry.recordOf(await w.registry.identifiedRecordIdOf(owner.account.address, scope));
      expect((await recordAt(record, owner.account).query()).locator).to.equal(ethers.hexlify(locator));
    });

    it("reverts with the content errors (zero hash, missing, ambiguous, hash mismatch) and RegistryRecordExists", async () => {
      const { w, owner } = await loadFixture(world);
      const r = w.registry.connect(owner.account);
      const { ciphertext, contentHash } = fakeCiphertext(40);
      await expect(r.createRecord(randomScope(), ethers.ZeroHash, "0x", ciphertext)).to.be.revertedWithCustomError(r, "RegistryContentHashZero");
      await expect(r.createRecord(randomScope(), contentHash, "0x", "0x")).to.be.revertedWithCustomError(r, "RegistryContentMissing");
      await expect(r.createRecord(randomScope(), contentHash, "0x01", ciphertext))
        .to.be.revertedWithCustomError(r, "RegistryContentAmbiguous")
        .withArgs(40n, 1n);
      await expect(r.createRecord(randomScope(), ethers.id("other"), "0x", ciphertext))
        .to.be.revertedWithCustomError(r, "RegistryContentHashMismatch")
        .withArgs(ethers.id("other"), contentHash);
      const created = await createIdentifiedRecord(w, owner);
      await expect(r.createRecord(created.scope, contentHash, "0x", ciphertext))
        .to.be.revertedWithCustomError(r, "RegistryRecordExists")
        .withArgs(created.id);
    });

    it("gives two owners the same scope without collision (ids include the owner)", async () => {
      const { w, owner } = await loadFixture(world);
      const scope = randomScope();
      const a = await createIdentifiedRecord(w, owner, scope);
      const b = await createIdentifiedRecord(w, w.patients[1], scope);
      expect(a.id).to.not.equal(b.id);
      expect(a.record).to.not.equal(b.record);
    });
  });

  describe("PatientRegister (RC)", () => {
    it("subjoin appends only the owner's own records, once, with no way to delete", async () => {
      const { w, owner } = await loadFixture(world);
      const mine = await createIdentifiedRecord(w, owner);
      const theirs = await createIdentifiedRecord(w, w.patients[1]);
      await expect(owner.register.subjoin(mine.record)).to.emit(owner.register, "RecordSubjoined").withArgs(mine.record, 0n);
      await expect(owner.register.subjoin(mine.record))
        .to.be.revertedWithCustomError(owner.register, "PatientRegisterRecordAlreadyListed")
        .withArgs(mine.record);
      await expect(owner.register.subjoin(theirs.record))
        .to.be.revertedWithCustomError(owner.register, "PatientRegisterRecordNotOwned")
        .withArgs(theirs.record, w.patients[1].account.address);
      await expect(owner.register.subjoin(w.stranger)).to.be.revertedWithCustomError(owner.register, "PatientRegisterRecordUnknown");
      expect(await owner.register.records(0, 10)).to.deep.equal([mine.record]);
      expect(owner.register.interface.fragments.map((f) => ("name" in f ? f.name : ""))).to.not.include.members(["remove", "unsubjoin"]);
    });

    it("personInfo stores the ciphertext hash, emits the ciphertext, and rejects empty info", async () => {
      const { owner } = await loadFixture(world);
      const { ciphertext, contentHash } = fakeCiphertext(64);
      const tx = await owner.register.personInfo(ciphertext);
      await expect(tx).to.emit(owner.register, "PersonInfoUpdated").withArgs(contentHash, ciphertext);
      const [hash, block] = await owner.register.personInfoHash();
      expect([hash, block]).to.deep.equal([contentHash, BigInt((await tx.wait())!.blockNumber)]);
      await expect(owner.register.personInfo("0x")).to.be.revertedWithCustomError(owner.register, "PatientRegisterPersonInfoEmpty");
    });
  });

  describe("MedicalRecord (MRC) and AccessList (ALC) in step", () => {
    it("warrant lists the record in the ALC and unwarrant removes it, in the same transaction", async () => {
      const { w, owner, institution, accessList } = await loadFixture(world);
      const inst = await institution.getAddress();
      const created = await createIdentifiedRecord(w, owner);
      const mrc = recordAt(created.record, owner.account);
      const alc = accessListAt(accessList, institution);
      await expect(mrc.warrant(inst, "0xbeef")).to.emit(alc, "RecordListed").withArgs(created.record, 0n);
      const [entry] = await alc.getData(0, 10);
      expect([entry.record, entry.id, entry.contentHash, entry.wrappedKey]).to.deep.equal([created.record, created.id, created.contentHash, "0xbeef"]);
      await expect(mrc.warrant(inst, "0xbeef")).to.be.revertedWithCustomError(mrc, "MedicalRecordInstitutionAlreadyWarranted").withArgs(inst);
      await expect(mrc.unwarrant(inst)).to.emit(alc, "RecordDelisted").withArgs(created.record);
      expect(await alc.recordCount()).to.equal(0n);
      await expect(mrc.unwarrant(inst)).to.be.revertedWithCustomError(mrc, "MedicalRecordInstitutionNotWarranted").withArgs(inst);
    });

    it("a decertified institution gets no new grants, but revocation still works", async () => {
      const { w, owner, institution, accessList } = await loadFixture(world);
      const inst = await institution.getAddress();
      const first = await createIdentifiedRecord(w, owner);
      const second = await createIdentifiedRecord(w, owner);
      await (await recordAt(first.record, owner.account).warrant(inst, "0x01")).wait();
      await (await w.registry.connect(w.regulator).decertifyInstitution(inst)).wait();
      await expect(recordAt(second.record, owner.account).warrant(inst, "0x01"))
        .to.be.revertedWithCustomError(recordAt(second.record, owner.account), "MedicalRecordInstitutionNotCertified")
        .withArgs(inst);
      await (await recordAt(first.record, owner.account).unwarrant(inst)).wait();
      expect(await accessListAt(accessList, institution).recordCount()).to.equal(0n);
    });

    it("rejects an empty or oversized wrapped key with MedicalRecordWrappedKeyLengthInvalid", async () => {
      const { w, owner, institution } = await loadFixture(world);
      const mrc = recordAt((await createIdentifiedRecord(w, owner)).record, owner.account);
      const max = await mrc.WRAPPED_KEY_MAX_LENGTH();
      for (const length of [0n, max + 1n]) {
        await expect(mrc.warrant(await institution.getAddress(), ethers.hexlify(new Uint8Array(Number(length)))))
          .to.be.revertedWithCustomError(mrc, "MedicalRecordWrappedKeyLengthInvalid")
          .withArgs(length);
      }
    });

    it("getData pages through many grants and stays consistent under swap-and-pop removal", async () => {
      const { w, owner, institution, accessList } = await loadFixture(world);
      const inst = await institution.getAddress();
      const records: string[] = [];
      for (let i = 0; i < 30; i++) {
        const { record } = await createIdentifiedRecord(w, owner);
        await (await recordAt(record, owner.account).warrant(inst, ethers.toBeHex(i + 1, 2))).wait();
        records.push(record);
      }
      for (const i of [0, 29, 13, 7]) await (await recordAt(records[i], owner.account).unwarrant(inst)).wait();
      const expected = records.filter((_, i) => ![0, 29, 13, 7].includes(i));
      const alc = accessListAt(accessList, institution);
      const seen: string[] = [];
      for (let offset = 0; ; offset += 7) {
        const page = await alc.getData(offset, 7);
        if (page.length === 0) break;
        seen.push(...page.map((p) => p.record));
      }
      expect([...seen].sort()).to.deep.equal([...expected].sort());
      for (const r of expected) expect(await alc.isListed(r)).to.equal(true);
    });
  });

  describe("deployment", () => {
    it("a second deployMedRing run with the recorded addresses reuses everything", async () => {
      const [deployer] = await ethers.getSigners();
      const first = await deployMedRing(hre, { deployer });
      const second = await deployMedRing(hre, { deployer, previous: first.addresses });
      expect(second.deployed).to.deep.equal([]);
      expect(second.addresses).to.deep.equal(first.addresses);
    });

    it("redeploys the registry (and only what changed) when an implementation's code is gone", async () => {
      const [deployer] = await ethers.getSigners();
      const first = await deployMedRing(hre, { deployer });
      const stale = { ...first.addresses, MedicalRecord: ethers.Wallet.createRandom().address };
      const again = await deployMedRing(hre, { deployer, previous: stale });
      expect(again.deployed).to.deep.equal(["MedicalRecord", "MedRingRegistry"]);
    });
  });
});
