/**
 * The full access-control matrix: every state-changing function (plus the restricted views) against every
 * kind of caller, each with the exact custom error; and every owner action through the ERC-2771 forwarder
 * with a valid signature, an invalid one, and a valid one by the wrong account.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, impersonateAccount, setBalance } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract, Signer } from "ethers";
import { accessListAt, deployWorld, institutionEncryptionKey, recordAt } from "./helpers/fixture";
import { certify, createAnonymousRecord, createIdentifiedRecord, fakeCiphertext, randomScope } from "./helpers/records";
import { signForwardRequest } from "./helpers/forwarder";

const CALLERS = ["owner", "otherPatient", "institution", "regulator", "admin", "stranger"] as const;
type Caller = (typeof CALLERS)[number];

async function matrixWorld() {
  const world = await deployWorld(10);
  const [institution, secondInstitution, newInstitution] = world.institutionAccounts;
  const accessList = await certify(world, institution);
  await certify(world, secondInstitution);
  const owner = world.patients[0];
  const identified = await createIdentifiedRecord(world, owner);
  await (await recordAt(identified.record, owner.account).warrant(await institution.getAddress(), "0x1234")).wait();
  const anonymous = await createAnonymousRecord(world, world.patients[2]);
  await impersonateAccount(await world.forwarder.getAddress());
  await setBalance(await world.forwarder.getAddress(), 10n ** 20n);
  const callers: Record<Caller, Signer> = {
    owner: owner.account,
    otherPatient: world.patients[1].account,
    institution,
    regulator: world.regulator,
    admin: world.admin,
    stranger: world.stranger,
  };
  return { world, owner, institution, secondInstitution, newInstitution, accessList, identified, anonymous, callers };
}
type M = Awaited<ReturnType<typeof matrixWorld>>;

interface Row {
  fn: string;
  /** Callers for which the call succeeds. */
  allowed: readonly Caller[];
  target: (m: M) => Promise<BaseContract>;
  data: (m: M) => Promise<string>;
  /** The custom error (name, args) for a refused caller whose `_msgSender()` is `sender` and `msg.sender` is `direct`. */
  refusal: (m: M, sender: string, direct: string) => [string, unknown[]];
  /** Whether the function reads `_msgSender()` (so a forwarded call acts for the signer). */
  forwardable: boolean;
}

const REGULATOR_ROLE = ethers.id("MEDRING_REGULATOR_ROLE");
const ADMIN_ROLE = ethers.ZeroHash;
const ADMITTER_ROLE = ethers.id("MEDRING_ADMITTER_ROLE");

/** Encodes the call of `method` with `args` on the row's target (its ABI), for the rows below built from tables. */
function calling(target: Row["target"], method: string, args: (m: M) => Promise<unknown[]>): Row["data"] {
  return async (m) => (await target(m)).interface.encodeFunctionData(method, await args(m));
}

const ownAccessList = async (m: M) => accessListAt(m.accessList, m.owner.account);
const anonymousRecord = async (m: M) => recordAt(m.anonymous.record, m.owner.account);

/** Registry functions behind an AccessControl role: only the caller that holds `role` may call them, directly or forwarded. */
const roleRows: [fn: string, allowed: Caller, role: string, method: string, args: (m: M) => Promise<unknown[]>][] = [
  ["MedRingRegistry.setRingPolicy", "regulator", REGULATOR_ROLE, "setRingPolicy", async () => [8, 32]],
  [
    "MedRingRegistry.certifyInstitution",
    "regulator",
    REGULATOR_ROLE,
    "certifyInstitution",
    async (m) => [await m.newInstitution.getAddress(), institutionEncryptionKey()],
  ],
  ["MedRingRegistry.decertifyInstitution", "regulator", REGULATOR_ROLE, "decertifyInstitution", async (m) => [await m.institution.getAddress()]],
  ["MedRingRegistry.grantRole", "admin", ADMIN_ROLE, "grantRole", async (m) => [REGULATOR_ROLE, await m.newInstitution.getAddress()]],
  ["MedRingRegistry.grantRole(ADMITTER_ROLE)", "regulator", REGULATOR_ROLE, "grantRole", async (m) => [ADMITTER_ROLE, await m.newInstitution.getAddress()]],
];

/**
 * Functions no caller may reach directly or through the forwarder: calls only the registry or a record it created makes
 * (refused with `error(msg.sender)`), and a clone's initializer called again (refused with InvalidInitialization).
 */
const closedRows: [fn: string, target: Row["target"], method: string, args: (m: M) => Promise<unknown[]>, error: string | undefined][] = [
  [
    "MedicalRecord.warrant (anonymous record: registry only)",
    anonymousRecord,
    "warrant",
    async (m) => [await m.institution.getAddress(), "0xabcd"],
    "MedicalRecordUnauthorized",
  ],
  [
    "MedicalRecord.unwarrant (anonymous record: registry only)",
    anonymousRecord,
    "unwarrant",
    async (m) => [await m.institution.getAddress()],
    "MedicalRecordUnauthorized",
  ],
  ["AccessList.addRecord (registry MRCs only)", ownAccessList, "addRecord", async () => [], "AccessListUnauthorized"],
  ["AccessList.removeRecord (registry MRCs only)", ownAccessList, "removeRecord", async () => [], "AccessListUnauthorized"],
  [
    "PatientRegister.initialize (clone, again)",
    async (m) => m.owner.register,
    "initialize",
    async (m) => [await m.callers.stranger.getAddress(), { x: 1n, y: 2n }, "0x"],
    undefined,
  ],
  [
    "MedicalRecord.initialize (clone, again)",
    async (m) => recordAt(m.identified.record, m.owner.account),
    "initialize",
    async (m) => [ethers.ZeroHash, await m.callers.stranger.getAddress(), ethers.ZeroHash, ethers.ZeroHash, "0x"],
    undefined,
  ],
  ["AccessList.initialize (clone, again)", ownAccessList, "initialize", async (m) => [await m.callers.stranger.getAddress()], undefined],
];

const rows: Row[] = [
  ...roleRows.map(([fn, allowed, role, method, args]): Row => {
    const target = async (m: M) => m.world.registry;
    return {
      fn,
      allowed: [allowed],
      target,
      data: calling(target, method, args),
      refusal: (_m, sender) => ["AccessControlUnauthorizedAccount", [sender, role]],
      forwardable: true,
    };
  }),
  {
    fn: "MedRingRegistry.createRecord",
    allowed: ["owner", "otherPatient"],
    target: async (m) => m.world.registry,
    data: async (m) => {
      const { ciphertext, contentHash } = fakeCiphertext();
      return m.world.registry.interface.encodeFunctionData("createRecord", [randomScope(), contentHash, "0x", ciphertext]);
    },
    refusal: (_m, sender) => ["RegistryPatientNotRegistered", [sender]],
    forwardable: true,
  },
  {
    fn: "PatientRegister.subjoin",
    allowed: ["owner"],
    target: async (m) => m.owner.register,
    data: async (m) => m.owner.register.interface.encodeFunctionData("subjoin", [m.identified.record]),
    refusal: (_m, sender) => ["PatientRegisterUnauthorized", [sender]],
    forwardable: true,
  },
  {
    fn: "PatientRegister.personInfo",
    allowed: ["owner"],
    target: async (m) => m.owner.register,
    data: async (m) => m.owner.register.interface.encodeFunctionData("personInfo", [fakeCiphertext().ciphertext]),
    refusal: (_m, sender) => ["PatientRegisterUnauthorized", [sender]],
    forwardable: true,
  },
  {
    fn: "MedicalRecord.warrant (identified record)",
    allowed: ["owner"],
    target: async (m) => recordAt(m.identified.record, m.owner.account),
    data: async (m) =>
      recordAt(m.identified.record, m.owner.account).interface.encodeFunctionData("warrant", [await m.secondInstitution.getAddress(), "0xabcd"]),
    refusal: (_m, sender) => ["MedicalRecordUnauthorized", [sender]],
    forwardable: true,
  },
  {
    fn: "MedicalRecord.unwarrant (identified record)",
    allowed: ["owner"],
    target: async (m) => recordAt(m.identified.record, m.owner.account),
    data: async (m) => recordAt(m.identified.record, m.owner.account).interface.encodeFunctionData("unwarrant", [await m.institution.getAddress()]),
    refusal: (_m, sender) => ["MedicalRecordUnauthorized", [sender]],
    forwardable: true,
  },
  ...closedRows.map(([fn, target, method, args, error]): Row => ({
    fn,
    allowed: [],
    target,
    data: calling(target, method, args),
    refusal: (_m, _sender, direct) => (error ? [error, [direct]] : ["InvalidInitialization", []]),
    forwardable: false,
  })),
];

describe("access control matrix", () => {
  for (const row of rows) {
    describe(row.fn, () => {
      for (const caller of CALLERS) {
        const allowed = row.allowed.includes(caller);
        it(allowed ? `succeeds for ${caller}` : `reverts for ${caller} with the exact custom error`, async () => {
          const m = await loadFixture(matrixWorld);
          const signer = m.callers[caller];
          const target = await row.target(m);
          const tx = signer.sendTransaction({ to: await target.getAddress(), data: await row.data(m) });
          if (allowed) {
            await expect(tx).not.to.be.reverted;
          } else {
            const address = await signer.getAddress();
            const [error, args] = row.refusal(m, address, address);
            await expect(tx)
              .to.be.revertedWithCustomError(target, error)
              .withArgs(...args);
          }
        });
      }

      if (row.forwardable) {
        const allowedCaller = row.allowed[0];
        it(`via the forwarder: succeeds with a valid request signed by ${allowedCaller}`, async () => {
          const m = await loadFixture(matrixWorld);
          const from = m.callers[allowedCaller];
          const target = await row.target(m);
          const request = await signForwardRequest(m.world.forwarder, from, await target.getAddress(), await row.data(m));
          await expect(m.world.forwarder.connect(m.world.relayer).execute(request))
            .to.emit(m.world.forwarder, "ExecutedForwardRequest")
            .withArgs(await from.getAddress(), 0n, true);
        });

        it("via the forwarder: reverts with ERC2771ForwarderInvalidSigner when the signature is not the sender's", async () => {
          const m = await loadFixture(matrixWorld);
          const from = m.callers[allowedCaller];
          const target = await row.target(m);
          const request = await signForwardRequest(m.world.forwarder, from, await target.getAddress(), await row.data(m), {
            signAs: m.callers.stranger,
          });
          await expect(m.world.forwarder.connect(m.world.relayer).execute(request))
            .to.be.revertedWithCustomError(m.world.forwarder, "ERC2771ForwarderInvalidSigner")
            .withArgs(await m.callers.stranger.getAddress(), await from.getAddress());
        });

        it("via the forwarder: a valid request by a refused account fails with the same custom error as a direct call", async () => {
          const m = await loadFixture(matrixWorld);
          const target = await row.target(m);
          const data = await row.data(m);
          const stranger = await m.callers.stranger.getAddress();
          const request = await signForwardRequest(m.world.forwarder, m.callers.stranger, await target.getAddress(), data);
          // ERC2771Forwarder.execute does not bubble the inner revert reason ...
          await expect(m.world.forwarder.connect(m.world.relayer).execute(request)).to.be.revertedWithCustomError(m.world.forwarder, "FailedCall");
          // ... so the inner error is checked by calling as the forwarder with the sender appended (ERC-2771).
          const asForwarder = await ethers.getSigner(await m.world.forwarder.getAddress());
          const [error, args] = row.refusal(m, stranger, await m.world.forwarder.getAddress());
          await expect(asForwarder.sendTransaction({ to: await target.getAddress(), data: ethers.concat([data, stranger]) }))
            .to.be.revertedWithCustomError(target, error)
            .withArgs(...args);
        });
      } else {
        it("via the forwarder: refused too (the forwarder is not a registry or a record)", async () => {
          const m = await loadFixture(matrixWorld);
          const target = await row.target(m);
          const data = await row.data(m);
          const forwarderAddress = await m.world.forwarder.getAddress();
          const asForwarder = await ethers.getSigner(forwarderAddress);
          const [error, args] = row.refusal(m, await m.owner.account.getAddress(), forwarderAddress);
          await expect(asForwarder.sendTransaction({ to: await target.getAddress(), data: ethers.concat([data, m.owner.account.address]) }))
            .to.be.revertedWithCustomError(target, error)
            .withArgs(...args);
        });
      }
    });
  }

  describe("restricted views", () => {
    it("AccessList.getData answers only the institution (AccessListUnauthorized otherwise)", async () => {
      const m = await loadFixture(matrixWorld);
      const alc = accessListAt(m.accessList, m.institution);
      expect(await alc.getData(0, 10)).to.have.length(1);
      for (const caller of CALLERS.filter((c) => c !== "institution")) {
        const signer = m.callers[caller];
        await expect(alc.connect(signer).getData(0, 10))
          .to.be.revertedWithCustomError(alc, "AccessListUnauthorized")
          .withArgs(await signer.getAddress());
      }
    });

    it("MedicalRecord.query answers only the owner of an identified record (MedicalRecordUnauthorized otherwise)", async () => {
      const m = await loadFixture(matrixWorld);
      const mrc = recordAt(m.identified.record, m.owner.account);
      expect((await mrc.query()).contentHash).to.equal(m.identified.contentHash);
      for (const caller of CALLERS.filter((c) => c !== "owner")) {
        const signer = m.callers[caller];
        await expect(mrc.connect(signer).query())
          .to.be.revertedWithCustomError(mrc, "MedicalRecordUnauthorized")
          .withArgs(await signer.getAddress());
      }
    });

    it("MedicalRecord.grantOf answers only the institution's ALC (MedicalRecordUnauthorized for every account)", async () => {
      const m = await loadFixture(matrixWorld);
      const mrc = recordAt(m.identified.record, m.owner.account);
      const institution = await m.institution.getAddress();
      for (const caller of CALLERS) {
        const signer = m.callers[caller];
        await expect(mrc.connect(signer).grantOf(institution))
          .to.be.revertedWithCustomError(mrc, "MedicalRecordUnauthorized")
          .withArgs(await signer.getAddress());
      }
    });
  });

  describe("implementations", () => {
    it("are locked: initialize reverts with InvalidInitialization on each", async () => {
      const m = await loadFixture(matrixWorld);
      const impls = await m.world.registry.implementations();
      const stranger = await m.callers.stranger.getAddress();
      const rc = (await ethers.getContractAt("PatientRegister", impls.register)).connect(m.callers.stranger);
      await expect(rc.initialize(stranger, { x: 1n, y: 2n }, "0x")).to.be.revertedWithCustomError(rc, "InvalidInitialization");
      const mrc = (await ethers.getContractAt("MedicalRecord", impls.record)).connect(m.callers.stranger);
      await expect(mrc.initialize(ethers.ZeroHash, stranger, ethers.ZeroHash, ethers.ZeroHash, "0x")).to.be.revertedWithCustomError(
        mrc,
        "InvalidInitialization",
      );
      const alc = (await ethers.getContractAt("AccessList", impls.accessList)).connect(m.callers.stranger);
      await expect(alc.initialize(stranger)).to.be.revertedWithCustomError(alc, "InvalidInitialization");
    });
  });
});
