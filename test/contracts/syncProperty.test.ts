/**
 * Property: after any sequence of warrant / unwarrant / certify / decertify, every institution's ALC lists
 * exactly the MRCs whose authorisation list contains that institution (paper section 3: the ALC follows
 * the MRCs automatically). fast-check with a fixed seed (override with FC_SEED), printed on failure.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { accessListAt, deployWorld, institutionEncryptionKey, recordAt } from "./helpers/fixture";
import { certify, createIdentifiedRecord } from "./helpers/records";

const SEED = Number(process.env.FC_SEED ?? 20251125);
const RECORDS = 4;
const INSTITUTIONS = 3;

async function syncWorld() {
  const world = await deployWorld(1);
  const owner = world.patients[0];
  const institutions = world.institutionAccounts.slice(0, INSTITUTIONS);
  await certify(world, institutions[0]);
  await certify(world, institutions[1]); // institutions[2] starts uncertified, without an ALC
  const records: string[] = [];
  for (let i = 0; i < RECORDS; i++) records.push((await createIdentifiedRecord(world, owner)).record);
  return { world, owner, institutions, records };
}

type Command =
  | { kind: "warrant"; record: number; institution: number }
  | { kind: "unwarrant"; record: number; institution: number }
  | { kind: "certify"; institution: number }
  | { kind: "decertify"; institution: number };

const recordCommand = (kind: "warrant" | "unwarrant") =>
  fc.record({ kind: fc.constant(kind), record: fc.nat(RECORDS - 1), institution: fc.nat(INSTITUTIONS - 1) });
const institutionCommand = (kind: "certify" | "decertify") => fc.record({ kind: fc.constant(kind), institution: fc.nat(INSTITUTIONS - 1) });
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  recordCommand("warrant"),
  recordCommand("unwarrant"),
  institutionCommand("certify"),
  institutionCommand("decertify"),
);

describe("ALC / MRC synchronisation (property)", () => {
  it("keeps each ALC equal to the set of MRCs whose authorisation list holds its institution", async () => {
    await fc
      .assert(
        fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 25 }), async (commands) => {
          const { world, owner, institutions, records } = await loadFixture(syncWorld);
          const addresses = await Promise.all(institutions.map((i) => i.getAddress()));
          const certified = [true, true, false];
          const granted = records.map(() => new Set<number>());

          for (const command of commands) {
            const inst = addresses[command.institution];
            if (command.kind === "certify" || command.kind === "decertify") {
              const call =
                command.kind === "certify"
                  ? world.registry.connect(world.regulator).certifyInstitution(inst, institutionEncryptionKey())
                  : world.registry.connect(world.regulator).decertifyInstitution(inst);
              const shouldSucceed = command.kind === "certify" ? !certified[command.institution] : certified[command.institution];
              if (shouldSucceed) {
                await (await call).wait();
                certified[command.institution] = command.kind === "certify";
              } else {
                await expect(call).to.be.revertedWithCustomError(
                  world.registry,
                  command.kind === "certify" ? "RegistryInstitutionAlreadyCertified" : "RegistryInstitutionNotCertified",
                );
              }
            } else {
              const mrc = recordAt(records[command.record], owner.account);
              const has = granted[command.record].has(command.institution);
              if (command.kind === "warrant") {
                if (!has && certified[command.institution]) {
                  await (await mrc.warrant(inst, "0x0102")).wait();
                  granted[command.record].add(command.institution);
                } else {
                  await expect(mrc.warrant(inst, "0x0102")).to.be.revertedWithCustomError(
                    mrc,
                    has ? "MedicalRecordInstitutionAlreadyWarranted" : "MedicalRecordInstitutionNotCertified",
                  );
                }
              } else if (has) {
                await (await mrc.unwarrant(inst)).wait();
                granted[command.record].delete(command.institution);
              } else {
                await expect(mrc.unwarrant(inst)).to.be.revertedWithCustomError(mrc, "MedicalRecordInstitutionNotWarranted");
              }
            }
          }

          for (let i = 0; i < INSTITUTIONS; i++) {
            const [accessList] = await world.registry.accessListOf(addresses[i]);
            const expected = records.filter((_, r) => granted[r].has(i)).sort();
            const onChainMrcs: string[] = [];
            for (const record of records) if (await recordAt(record, owner.account).isWarranted(addresses[i])) onChainMrcs.push(record);
            expect(onChainMrcs.sort(), `MRC authorisation lists for institution ${i}`).to.deep.equal(expected);
            if (accessList === ethers.ZeroAddress) {
              expect(expected, `institution ${i} has no ALC but holds grants`).to.deep.equal([]);
              continue;
            }
            const listed = (await accessListAt(accessList, institutions[i]).getData(0, 100)).map((d) => d.record);
            expect([...listed].sort(), `ALC of institution ${i}`).to.deep.equal(expected);
          }
        }),
        { seed: SEED, numRuns: 30, endOnFailure: true },
      )
      .catch((error: unknown) => {
        throw new Error(`property failed with FC_SEED=${SEED}: ${(error as Error).message}`);
      });
  });
});
