import { expect } from "chai";
import { ethers } from "hardhat";
import { encodeSignatureJson, generateKeyPair, sign, sortRing, N_ORDER, type Point } from "../../src/mrs1";
import { deployChain, forwardAuthorization, freshScope, get, post, ringCreateRecord, startTestRelayer, waitFor, type Chain } from "./fixture";
import type { RunningRelayer } from "../../relayer/server";

type Body = Awaited<ReturnType<typeof ringCreateRecord>>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const hex32 = (v: bigint) => ethers.toBeHex(v, 32);

describe("relayer hostile input", function () {
  let chain: Chain;
  let relayer: RunningRelayer;
  let base: Body;
  let executed: Body;

  /** A createRecord signed by patient 0 with any ring, nonce, deadline and content. */
  async function signCreate(
    o: { ring?: Point[]; nonce?: bigint; deadline?: bigint; scope?: string; contentHash?: string; ciphertext?: string } = {},
  ): Promise<Body> {
    const scope = o.scope ?? freshScope();
    const ciphertext = o.ciphertext ?? ethers.hexlify(ethers.randomBytes(32));
    const contentHash = o.contentHash ?? ethers.keccak256(ciphertext);
    const nonce = o.nonce ?? 0n;
    const deadline = o.deadline ?? BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
    const message = await chain.registry.hashCreateRecord(scope, contentHash, "0x", ciphertext, nonce, deadline);
    const ring = o.ring ?? sortRing(chain.patients.slice(0, 8).map((p) => p.publicKey));
    const sig = sign({ secretKey: chain.patients[0].secretKey, ring, scope: ethers.getBytes(scope), message: ethers.getBytes(message) });
    return {
      action: { kind: "createRecord", args: { scope, contentHash, locator: "0x", ciphertext } },
      authorization: { type: "ring", signature: encodeSignatureJson(sig), nonce: nonce.toString(), deadline: deadline.toString() },
    };
  }

  /** An identified createRecord: patient account `signers[2]` signs a ForwardRequest for the registry. */
  async function signForward(o: { signerIndex?: number; value?: string; tamper?: boolean } = {}) {
    const signers = await ethers.getSigners();
    const scope = freshScope();
    const ciphertext = ethers.hexlify(ethers.randomBytes(32));
    const args = { scope, contentHash: ethers.keccak256(ciphertext), locator: "0x", ciphertext };
    const data = chain.registry.interface.encodeFunctionData("createRecord", [args.scope, args.contentHash, args.locator, args.ciphertext]);
    const auth = await forwardAuthorization(chain, signers[2], { to: await chain.registry.getAddress(), data }, { signer: signers[o.signerIndex ?? 2] });
    const body = { action: { kind: "createRecord", args }, authorization: { ...auth, request: { ...auth.request, value: o.value ?? "0" } } };
    if (o.tamper) body.authorization.request.data = data.slice(0, -2) + (data.endsWith("00") ? "01" : "00");
    return body;
  }

  before(async function () {
    chain = await deployChain(10);
    ({ relayer } = await startTestRelayer(chain));
    executed = await signCreate();
    const res = await post(`${relayer.url}/v1/submissions`, executed);
    expect(res.status, res.text).to.equal(202);
    await waitFor(async () => ((await get(`${relayer.url}/v1/submissions/${res.json.id}`)).json.status === "confirmed" ? true : undefined));
    base = await signCreate();
  });
  after(async function () {
    await relayer?.stop();
    await chain?.close();
  });

  it("accepts a valid identified (EIP-712 ForwardRequest) createRecord through the forwarder", async function () {
    const body = await signForward();
    const res = await post(`${relayer.url}/v1/verify`, body);
    expect(res.status, res.text).to.equal(200);
  });

  describe("refuses each malformed or malicious request with the right 4xx, spending no gas and storing no job", function () {
    let balance: bigint;
    let nonce: number;
    let jobs: number;
    before(async function () {
      balance = await ethers.provider.getBalance(relayer.ctx.lanes[0].address);
      nonce = await ethers.provider.getTransactionCount(relayer.ctx.lanes[0].address);
      jobs = Object.values(await relayer.ctx.store.countByStatus()).reduce((a, b) => a + b, 0);
    });
    after(async function () {
      expect(await ethers.provider.getBalance(relayer.ctx.lanes[0].address)).to.equal(balance);
      expect(await ethers.provider.getTransactionCount(relayer.ctx.lanes[0].address)).to.equal(nonce);
      expect(Object.values(await relayer.ctx.store.countByStatus()).reduce((a, b) => a + b, 0)).to.equal(jobs);
      expect((await get(`${relayer.url}/healthz`)).status).to.equal(200);
    });

    const m = (f: (b: Body) => void) => () => {
      const b = clone(base);
      f(b);
      return Promise.resolve(b as unknown);
    };
    const sig = (b: Body) => b.authorization.signature;
    const outsider = generateKeyPair().publicKey;
    const cases: [string, () => Promise<unknown>, number, string, Record<string, string>?][] = [
      ["invalid JSON", () => Promise.resolve("{"), 400, "invalid_json"],
      ["a JSON array", () => Promise.resolve([]), 400, "invalid_request"],
      ["a JSON string", () => Promise.resolve('"x"'), 400, "invalid_json"],
      ["text/plain body", () => Promise.resolve("{}"), 415, "unsupported_media_type", { "content-type": "text/plain" }],
      ["a body above the size limit", () => Promise.resolve({ pad: "x".repeat(300_000) }), 413, "payload_too_large"],
      ["no action", m((b) => delete (b as Partial<Body>).action), 400, "invalid_request"],
      ["no authorization", m((b) => delete (b as Partial<Body>).authorization), 400, "invalid_request"],
      ["an unknown top-level field", m((b) => Object.assign(b, { extra: 1 })), 400, "invalid_request"],
      ["an unknown action kind", m((b) => (b.action.kind = "deleteRecord")), 400, "unknown_action"],
      ["a kind that is not a string", m((b) => Object.assign(b.action, { kind: 7 })), 400, "invalid_request"],
      ["a ring signature on an identified-only action", m((b) => (b.action.kind = "registerPatient")), 400, "unknown_action"],
      ["a missing argument", m((b) => delete (b.action.args as Partial<Body["action"]["args"]>).contentHash), 400, "invalid_request"],
      ["an extra argument", m((b) => Object.assign(b.action.args, { owner: "x" })), 400, "invalid_request"],
      ["a scope that is not hex", m((b) => (b.action.args.scope = "0x" + "zz".repeat(32))), 400, "invalid_request"],
      ["a short content hash", m((b) => (b.action.args.contentHash = "0x1234")), 400, "invalid_request"],
      ["an odd-length ciphertext", m((b) => (b.action.args.ciphertext = "0xabc")), 400, "invalid_request"],
      ["hex with a comma", m((b) => (b.action.args.ciphertext = "0xab,c")), 400, "invalid_request"],
      ["an unknown authorization type", m((b) => Object.assign(b.authorization, { type: "bls" })), 400, "invalid_request"],
      ["another signature scheme", m((b) => Object.assign(sig(b), { scheme: "MRS-2" })), 400, "invalid_request"],
      ["an empty ring", m((b) => (sig(b).ring = [])), 400, "invalid_request"],
      ["a ring of 257 members", m((b) => (sig(b).ring = Array(257).fill(sig(b).ring[0]))), 400, "invalid_request"],
      ["a ring member with prefix 05", m((b) => (sig(b).ring[0] = "0x05" + sig(b).ring[0].slice(4))), 400, "invalid_request"],
      ["a nonce that is hex", m((b) => (b.authorization.nonce = "0x1")), 400, "invalid_request"],
      ["a negative deadline", m((b) => (b.authorization.deadline = "-5")), 400, "invalid_request"],
      ["a deadline above 2^64", m((b) => (b.authorization.deadline = (1n << 70n).toString())), 400, "invalid_request"],
      ["a deadline of exactly 2^64", m((b) => (b.authorization.deadline = (1n << 64n).toString())), 400, "invalid_request"],
      ["a nonce of 2^256", m((b) => (b.authorization.nonce = (1n << 256n).toString())), 400, "invalid_request"],
      ["a nonce of 78 nines", m((b) => (b.authorization.nonce = "9".repeat(78))), 400, "invalid_request"],
      ["an off-curve key image", m((b) => (sig(b).keyImage = "0x04" + hex32(1n).slice(2) + hex32(1n).slice(2))), 422, "invalid_signature"],
      ["an off-curve ring member", m((b) => (sig(b).ring[3] = "0x04" + hex32(1n).slice(2) + hex32(2n).slice(2))), 422, "invalid_signature"],
      ["a scalar c equal to n", m((b) => (sig(b).c[0] = hex32(N_ORDER))), 422, "invalid_signature"],
      ["a scalar e above n", m((b) => (sig(b).e[2] = hex32((1n << 256n) - 1n))), 422, "invalid_signature"],
      ["a c value missing", m((b) => sig(b).c.pop()), 422, "invalid_signature"],
      ["an unsorted ring", m((b) => ([sig(b).ring[0], sig(b).ring[1]] = [sig(b).ring[1], sig(b).ring[0]])), 422, "invalid_signature"],
      ["a duplicate ring member", m((b) => (sig(b).ring[1] = sig(b).ring[0])), 422, "invalid_signature"],
      ["a forged challenge share", m((b) => (sig(b).c[1] = hex32((BigInt(sig(b).c[1]) + 1n) % N_ORDER))), 422, "invalid_signature"],
      ["a tampered content hash", m((b) => (b.action.args.contentHash = ethers.keccak256("0x01"))), 422, "message_mismatch"],
      ["a tampered ciphertext", m((b) => (b.action.args.ciphertext = "0x00")), 422, "message_mismatch"],
      ["a tampered nonce", m((b) => (b.authorization.nonce = "1")), 422, "message_mismatch"],
      ["a tampered deadline", m((b) => (b.authorization.deadline = (BigInt(b.authorization.deadline) + 1n).toString())), 422, "message_mismatch"],
      ["another record's scope", m((b) => (b.action.args.scope = freshScope())), 422, "scope_mismatch"],
      [
        "a ring below the policy minimum",
        () => signCreate({ ring: sortRing(chain.patients.slice(0, 7).map((p) => p.publicKey)) }),
        422,
        "ring_size_out_of_policy",
      ],
      [
        "a ring above the policy maximum",
        () => signCreate({ ring: sortRing([chain.patients[0].publicKey, ...Array.from({ length: 64 }, () => generateKeyPair().publicKey)]) }),
        422,
        "ring_size_out_of_policy",
      ],
      [
        "a non-member key in the ring",
        () => signCreate({ ring: sortRing([...chain.patients.slice(0, 7).map((p) => p.publicKey), outsider]) }),
        422,
        "ring_member_not_registered",
      ],
      [
        "an expired deadline",
        async () => signCreate({ deadline: BigInt((await ethers.provider.getBlock("latest"))!.timestamp) - 1n }),
        422,
        "deadline_expired",
      ],
      [
        "a deadline inside the margin",
        async () => signCreate({ deadline: BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 30n }),
        422,
        "deadline_too_soon",
      ],
      ["a replay of an executed record's nonce", () => signCreate({ scope: executed.action.args.scope }), 409, "replay"],
      ["a nonce ahead of the record's", () => signCreate({ nonce: 1n }), 422, "nonce_mismatch"],
      ["an action that reverts in simulation", () => signCreate({ ciphertext: "0x0102", contentHash: ethers.keccak256("0x0304") }), 422, "simulation_reverted"],
      [
        "an EIP-712 signature of the wrong length",
        async () => ({ ...(await signForward()), authorization: { ...(await signForward()).authorization, signature: "0x1234" } }),
        400,
        "invalid_request",
      ],
      ["an EIP-712 request signed by another account", () => signForward({ signerIndex: 3 }), 422, "invalid_signature"],
      ["an EIP-712 request with tampered data", () => signForward({ tamper: true }), 422, "message_mismatch"],
      ["an EIP-712 request with value", () => signForward({ value: "1" }), 400, "invalid_request"],
      [
        "an EIP-712 request with a nonce of 2^256",
        async () => {
          const f = await signForward();
          f.authorization.request.nonce = (1n << 256n).toString();
          return f;
        },
        400,
        "invalid_request",
      ],
    ];

    for (const [name, build, status, code, headers] of cases) {
      it(`answers ${status} ${code} to ${name}`, async function () {
        const body = await build();
        const res = await post(`${relayer.url}/v1/submissions`, body, headers);
        expect(res.status, res.text).to.equal(status);
        expect(res.json.error.code, res.text).to.equal(code);
        expect(Object.keys(res.json)).to.deep.equal(["error"]);
        // A refused simulation names the contract's custom error, decoded from the artifacts.
        if (code === "simulation_reverted") expect(res.json.error.message).to.match(/RegistryContentHashMismatch\(0x[0-9a-f]{64}, 0x[0-9a-f]{64}\)/);
        expect(res.text).to.not.match(/at .*\.ts:\d+/); // no stack trace
      });
    }

    it("answers 400 to a submission id that is not 32 bytes of hex", async function () {
      const res = await get(`${relayer.url}/v1/submissions/not-an-id`);
      expect(res.status).to.equal(400);
      expect(res.json.error.code).to.equal("invalid_request");
    });
  });
});
