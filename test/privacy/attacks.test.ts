/**
 * Each attack of the adversarial review, now failing. Where the relayer is the target, its account must pay for
 * nothing (docs/design.md#relayer-invariants): balance, nonce and stored jobs are compared before and after.
 */
import { expect } from "chai";
import { existsSync, lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "hardhat";
import { Wallet } from "ethers";
import {
  MedRingClient,
  MemoryAnonymityStore,
  affineArgs,
  identifiedSubmission,
  prepareCreateRecord,
  ringSubmission,
  type SubmissionBody,
} from "../../src/client";
import {
  anonymousRecordId,
  authorize,
  forwarderDomain,
  keyImageHash,
  medRingDomain,
  possessionArgs,
  proveRingKeyPossession,
  ringActionDigest,
  signAdmission,
  type RingSigner,
} from "../../src/actions";
import { bytesToHex } from "../../src/hex";
import { accountAddress, generateActorKeys, type PatientKeys } from "../../src/keys";
import { keyImage, publicKeyOf, sortRing } from "../../src/mrs1";
import { runCli } from "../cli/helpers/run";
import { get, post, startTestRelayer } from "../relayer/helpers/fixture";
import { privacyWorld, type PrivacyWorld } from "./helpers/world";

const ringSigner = (keys: PatientKeys): RingSigner => ({ secretKey: keys.ringKey, publicKey: publicKeyOf(keys.ringKey) });

describe("privacy: each attack of the review, now failing", function () {
  this.timeout(300_000);
  let world: PrivacyWorld;
  let client: MedRingClient;

  /** The relayer's spending and its stored jobs, to show that an attack cost it nothing. */
  const ledger = async (relayerUrl: string) => {
    const status = (await get(`${relayerUrl}/v1/status`)).json;
    const signer = status.relayers[0].address;
    return {
      balance: await ethers.provider.getBalance(signer),
      nonce: await ethers.provider.getTransactionCount(signer),
      jobs: Object.values(status.queue as Record<string, number>).reduce((a, b) => a + b, 0),
    };
  };

  /** A signed anonymous createRecord of `keys` in a fresh scope with `deadline` and a policy-minimum ring. */
  const createBody = (keys: PatientKeys, deadline: bigint, nonce = 0n): SubmissionBody => {
    const ciphertext = ethers.hexlify(ethers.randomBytes(64));
    const args = { scope: ethers.hexlify(ethers.randomBytes(32)), contentHash: ethers.keccak256(ciphertext), locator: "0x", ciphertext };
    const decoys = world.patients
      .filter((p) => p !== keys)
      .slice(0, 7)
      .map((p) => publicKeyOf(p.ringKey));
    const ring = sortRing([publicKeyOf(keys.ringKey), ...decoys]);
    return ringSubmission(
      { kind: "createRecord", args },
      ringSigner(keys),
      ring,
      nonce,
      deadline,
      medRingDomain(client.chain.chainId, client.chain.registryAddress),
    );
  };

  /** The identified registerPatient body of a fresh patient `keys` with `admission` (or none), as the CLI builds it. */
  const registerBody = async (keys: PatientKeys, admission: { admitter: string; deadline: bigint; signature: string } | undefined) => {
    const ringKey = affineArgs(publicKeyOf(keys.ringKey));
    const onChain = admission ?? { admitter: ethers.ZeroAddress, deadline: 0n, signature: "0x" };
    const possession = proveRingKeyPossession(
      { secretKey: keys.ringKey, publicKey: publicKeyOf(keys.ringKey) },
      medRingDomain(client.chain.chainId, client.chain.registryAddress),
      accountAddress(keys.accountKey),
    );
    const data = client.chain.registry.interface.encodeFunctionData("registerPatient", [
      { x: BigInt(ringKey.x), y: BigInt(ringKey.y) },
      "0x",
      onChain,
      possessionArgs(possession),
    ]);
    const args = { ringKey, encryptedInfo: "0x", possession, ...(admission ? { admission: { ...admission, deadline: admission.deadline.toString() } } : {}) };
    // Signed as an attacker would: no gas estimate first (the forwarded call may revert), a fixed gas limit.
    const owner = new Wallet(bytesToHex(keys.accountKey));
    const call = { to: client.chain.registryAddress, data, gas: 1_000_000n, nonce: await client.chain.forwarderNonce(owner.address), deadline: 2n ** 40n };
    return identifiedSubmission("registerPatient", args, owner, call, forwarderDomain(client.chain.chainId, client.chain.forwarderAddress));
  };

  const admissionBy = async (admitterKey: string, patient: string, keys: PatientKeys) =>
    signAdmission(
      new Wallet(admitterKey),
      medRingDomain(client.chain.chainId, client.chain.registryAddress),
      patient,
      publicKeyOf(keys.ringKey).toAffine(),
      2n ** 40n,
    );

  before(async function () {
    world = await privacyWorld(10, 0);
    client = await MedRingClient.connect({ relayerUrl: world.relayer.url, rpcUrl: world.chain.rpcUrl, store: new MemoryAnonymityStore() });
  });
  after(async function () {
    client?.close();
    await world?.close();
  });

  it("front-running squat: a ring member who takes the victim's scope first only creates a record of its own; the victim's is confirmed and owned by the victim", async function () {
    const [victim, attacker] = world.patients;
    const prepared = await prepareCreateRecord(client, victim, { plaintext: ethers.toUtf8Bytes("victim's record") });
    const scope = prepared.info.scope; // read from the victim's pending submission
    const ciphertext = ethers.hexlify(ethers.randomBytes(64));
    const contentHash = ethers.keccak256(ciphertext);
    const digest = ringActionDigest(medRingDomain(client.chain.chainId, client.chain.registryAddress), "CreateRecord", {
      scope,
      contentHash,
      locator: "0x",
      ciphertext,
      nonce: 0n,
      deadline: 2n ** 40n,
    });
    const decoys = world.patients.slice(2, 9).map((p) => publicKeyOf(p.ringKey));
    const auth = authorize(ringSigner(attacker), decoys, scope, digest, 0n, 2n ** 40n);
    const [, , front] = await ethers.getSigners();
    await (await world.chain.registry.connect(front).createRecordAnonymous(scope, contentHash, "0x", ciphertext, auth)).wait();
    const squatId = anonymousRecordId(scope, keyImageHash(keyImage(attacker.ringKey, ethers.getBytes(scope))));
    expect(await world.chain.registry.recordOf(squatId)).to.not.equal(ethers.ZeroAddress);

    const before = await ledger(world.relayer.url);
    expect((await client.send(prepared.body)).status).to.equal("confirmed");
    expect(prepared.info.recordId).to.not.equal(squatId);
    const owner = await client.chain.recordOwner((await client.chain.recordAddress(prepared.info.recordId))!);
    expect(owner.keyImage).to.equal(keyImageHash(keyImage(victim.ringKey, ethers.getBytes(scope))));
    expect((await ledger(world.relayer.url)).nonce).to.equal(before.nonce + 1); // one transaction, and it succeeded
  });

  it("short deadline: a deadline a few seconds ahead is refused (422 deadline_too_soon) before anything is stored or sent", async function () {
    const before = await ledger(world.relayer.url);
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    for (const ahead of [1n, 5n, 60n, 131n]) {
      const res = await post(`${world.relayer.url}/v1/submissions`, createBody(world.patients[2], now + ahead));
      expect(res.status, res.text).to.equal(422);
      expect(res.json.error.code).to.equal("deadline_too_soon");
    }
    expect(await ledger(world.relayer.url)).to.deep.equal(before);
  });

  it("the same ring key twice: a second account registering a ring key that a live registration holds gets 409 replay, and nothing is stored or sent for it", async function () {
    // A relayer whose submitter is idle, so that the first registration stays queued (not yet on chain).
    const { relayer } = await startTestRelayer(world.chain, { MEDRING_RELAYER_POLL_MS: "60000" });
    try {
      const first = generateActorKeys("patient");
      const second = { ...generateActorKeys("patient"), ringKey: first.ringKey }; // another account, the same ring key
      const officeKey = bytesToHex(world.office.accountKey);
      const a = await post(`${relayer.url}/v1/submissions`, await registerBody(first, await admissionBy(officeKey, accountAddress(first.accountKey), first)));
      expect(a.status, a.text).to.equal(202);
      const before = await ledger(relayer.url);
      const b = await post(
        `${relayer.url}/v1/submissions`,
        await registerBody(second, await admissionBy(officeKey, accountAddress(second.accountKey), second)),
      );
      expect(b.status, b.text).to.equal(409);
      expect(b.json.error.code).to.equal("replay");
      expect(await ledger(relayer.url)).to.deep.equal(before);
    } finally {
      await relayer.stop();
    }
  });

  it("registration without admission: no admission is 400; an admission signed by anyone but an admitter is refused in simulation; nothing is paid", async function () {
    const before = await ledger(world.relayer.url);
    const fake = generateActorKeys("patient");
    const missing = await post(`${world.relayer.url}/v1/submissions`, await registerBody(fake, undefined));
    expect(missing.status, missing.text).to.equal(400);
    expect(missing.json.error.code).to.equal("invalid_request");
    expect(missing.json.error.message).to.include("admission");
    // The attacker admits its own fake patient with its own key.
    const selfAdmitted = await registerBody(fake, await admissionBy(bytesToHex(fake.accountKey), accountAddress(fake.accountKey), fake));
    const refused = await post(`${world.relayer.url}/v1/submissions`, selfAdmitted);
    expect(refused.status, refused.text).to.equal(422);
    expect(refused.json.error.code).to.equal("simulation_reverted");
    expect(refused.json.error.message).to.include(`RegistryAdmitterNotAuthorized(${accountAddress(fake.accountKey)})`);
    expect(await ledger(world.relayer.url)).to.deep.equal(before);
    expect(await client.chain.registry.isRingMember(...(Object.values(publicKeyOf(fake.ringKey).toAffine()) as [bigint, bigint]))).to.equal(false);
  });

  it("a nonce of 2^256: 400 invalid_request naming the field, no 500 and no stack trace in the log", async function () {
    const before = await ledger(world.relayer.url);
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const body = createBody(world.patients[3], now + 3600n);
    for (const nonce of [(1n << 256n).toString(), ((1n << 256n) + 12345n).toString(), "9".repeat(78)]) {
      const res = await post(`${world.relayer.url}/v1/submissions`, { ...body, authorization: { ...body.authorization, nonce } });
      expect(res.status, res.text).to.equal(400);
      expect(res.json.error).to.deep.equal({ code: "invalid_request", message: "authorization.nonce: must be below 2^256 (uint256)" });
    }
    expect(world.logs.text).to.not.include("internal error");
    expect(world.logs.text).to.not.match(/\.ts:\d+:\d+/);
    expect(await ledger(world.relayer.url)).to.deep.equal(before);
  });

  describe("keys new --out over an existing path", function () {
    const dir = mkdtempSync(join(tmpdir(), "medring-keys-new-"));

    it("refuses an existing file with exit 2 and leaves it unchanged", async function () {
      const path = join(dir, "existing.json");
      writeFileSync(path, "precious key file\n");
      const run = await runCli("keys", "new", "--role", "patient", "--out", path);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.equal(`medring: ${path} already exists (or is a symbolic link); refusing to overwrite it\n`);
      expect(readFileSync(path, "utf8")).to.equal("precious key file\n");
    });

    it("refuses a symlink (to an existing file or dangling) with exit 2 and writes nothing through it", async function () {
      const target = join(dir, "target.txt");
      writeFileSync(target, "not yours\n");
      const link = join(dir, "link.json");
      symlinkSync(target, link);
      expect((await runCli("keys", "new", "--role", "patient", "--out", link)).code).to.equal(2);
      expect(readFileSync(target, "utf8")).to.equal("not yours\n");
      const dangling = join(dir, "dangling.json");
      const nowhere = join(dir, "created-through-the-link.txt");
      symlinkSync(nowhere, dangling);
      expect((await runCli("keys", "new", "--role", "patient", "--out", dangling)).code).to.equal(2);
      expect(existsSync(nowhere)).to.equal(false);
      expect(lstatSync(dangling).isSymbolicLink()).to.equal(true);
    });

    it("creates a new file with mode 0600", async function () {
      const path = join(dir, "fresh.json");
      expect((await runCli("keys", "new", "--role", "patient", "--out", path)).code).to.equal(0);
      expect(lstatSync(path).mode & 0o777).to.equal(0o600);
    });
  });
});
