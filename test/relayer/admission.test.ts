import { expect } from "chai";
import { ethers, network } from "hardhat";
import { generateKeyPair } from "../../src/mrs1";
import type { RunningRelayer } from "../../relayer/server";
import { admit, deployChain, forwardAuthorization, post, registration, startTestRelayer, waitForStatus, type Chain } from "./helpers/fixture";

/**
 * Registrations through the relayer (README "Security model: who can make the relayer pay"): only the ring key's
 * owner can register it, and the relayer stops paying for an admitter whose quota is used up, counting the
 * registrations it has accepted and not yet mined.
 */
describe("relayer registrations: possession and admission quota", function () {
  this.timeout(180_000);
  let chain: Chain;
  let relayer: RunningRelayer;
  const jobs = async () => Object.values(await relayer.ctx.store.countByStatus()).reduce((a, b) => a + b, 0);

  before(async function () {
    chain = await deployChain(10);
    ({ relayer } = await startTestRelayer(chain));
  });
  after(async function () {
    await network.provider.send("evm_setAutomine", [true]);
    await relayer?.stop();
    await chain?.close();
  });

  /** A registration body: `keys`'s ring key for a fresh account, admitted by the regulator, with the key's proof for `proofAccount`. */
  async function body(keys = generateKeyPair(), proofAccount?: string) {
    const [, regulator] = await ethers.getSigners();
    const patient = ethers.Wallet.createRandom(ethers.provider);
    const admission = await admit(chain.registry, regulator, patient.address, keys.publicKey.toAffine());
    const { args, call } = await registration(chain, patient.address, keys, admission, "0x", proofAccount);
    return { action: { kind: "registerPatient", args }, authorization: await forwardAuthorization(chain, patient, call) };
  }

  it("refuses a registration of someone else's ring key (with the proof the key's owner made for its own account), storing and paying nothing", async function () {
    const before = { jobs: await jobs(), nonce: await ethers.provider.getTransactionCount(relayer.ctx.lanes[0].address) };
    const victim = generateKeyPair();
    const victimAccount = ethers.Wallet.createRandom().address;
    const res = await post(`${relayer.url}/v1/submissions`, await body(victim, victimAccount));
    expect(res.status, res.text).to.equal(422);
    expect(res.json.error.code).to.equal("simulation_reverted");
    expect(res.json.error.message).to.match(/RegistryPossessionProofInvalid\(\d+\)/);
    expect(await jobs()).to.equal(before.jobs);
    expect(await ethers.provider.getTransactionCount(relayer.ctx.lanes[0].address)).to.equal(before.nonce);
    const { x, y } = victim.publicKey.toAffine();
    expect(await chain.registry.isRingMember(x, y)).to.equal(false);
  });

  it("refuses a proof of possession that is not a ring of one with 400, before any node call", async function () {
    const b = await body();
    const possession = b.action.args.possession;
    b.action.args.possession = { ...possession, ring: [possession.ring[0], possession.ring[0]] };
    const res = await post(`${relayer.url}/v1/submissions`, b);
    expect(res.status, res.text).to.equal(400);
    expect(res.json.error.code).to.equal("invalid_request");
    expect(res.json.error.message).to.include("possession");
  });

  it("stops paying for an admitter past its quota: registrations in flight count, and the chain's count after they are mined", async function () {
    const [, regulator] = await ethers.getSigners();
    const [, admitted] = await chain.registry.admissionQuota(regulator.address);
    // Room for two more: two registrations at once are accepted, the third is refused while they are in flight.
    await (await chain.registry.connect(regulator).setAdmissionQuota(regulator.address, admitted + 2n)).wait();
    // Nothing is mined until the third request was answered: the two accepted are surely in flight.
    await network.provider.send("evm_setAutomine", [false]);
    const accepted = await Promise.all([body(), body()].map(async (b) => post(`${relayer.url}/v1/submissions`, await b)));
    expect(accepted.map((r) => r.status)).to.deep.equal([202, 202]);
    const stored = await jobs();
    const third = await post(`${relayer.url}/v1/submissions`, await body());
    expect(third.status, third.text).to.equal(422);
    expect(third.json.error.code).to.equal("admission_quota_exceeded");
    expect(await jobs()).to.equal(stored);
    await network.provider.send("evm_setAutomine", [true]);
    await network.provider.send("evm_mine", []);
    for (const r of accepted) expect((await waitForStatus(relayer.url, r.json.id, ["confirmed", "failed", "expired"])).status).to.equal("confirmed");
    expect(await chain.registry.admissionQuota(regulator.address)).to.deep.equal([admitted + 2n, admitted + 2n]);
    // Mined: the chain's count now refuses, in the relayer and on chain alike.
    const fourth = await post(`${relayer.url}/v1/submissions`, await body());
    expect(fourth.status, fourth.text).to.equal(422);
    expect(fourth.json.error.code).to.equal("admission_quota_exceeded");
    const keys = generateKeyPair();
    const patient = ethers.Wallet.createRandom(ethers.provider);
    await (await regulator.sendTransaction({ to: patient.address, value: ethers.parseEther("1") })).wait();
    const { call } = await registration(chain, patient.address, keys, await admit(chain.registry, regulator, patient.address, keys.publicKey.toAffine()));
    await expect(patient.sendTransaction(call))
      .to.be.revertedWithCustomError(chain.registry, "RegistryAdmissionQuotaExceeded")
      .withArgs(regulator.address, admitted + 2n, admitted + 2n);
  });
});
