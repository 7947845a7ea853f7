/**
 * The relayer's native MRS-1 back end (relayer/mrs1Native) against the reference (src/mrs1): the same
 * verdict (validity, reason and detail) and the same VerifierArgs, on every vector, on random valid
 * signatures of 1..32 members, on every single mutation and on degenerate inputs (zero scalars, commitments
 * at infinity, off-curve points). No reason mapping is needed: the native path returns the reference's own
 * verdicts. fast-check runs with a fixed seed (MEDRING_FC_SEED overrides it), printed in the test names.
 */
import { expect } from "chai";
import fc from "fast-check";
import { randomBytes } from "@noble/hashes/utils.js";
import { parseHexBytes, parseHexUint256 } from "../../src/hex";
import {
  N_ORDER,
  P_FIELD,
  Point,
  challenge,
  encodeSignatureJson,
  generateKeyPair,
  hashToPoint,
  parsePoint,
  parseSignatureJson,
  sign,
  sortRing,
  verifyForChain,
  type KeyPair,
  type Mrs1Signature,
  type Mrs1SignatureJson,
} from "../../src/mrs1";
import { curveRhs, sqrtModP } from "../../src/mrs1/hashToPoint";
import { sqrtModPFast } from "../../relayer/mrs1Native/sqrt";
import { hashToPointNative, nativePointDecoder, verifyForChainNative } from "../../relayer/mrs1Native/verifyForChain";
import { loadVectors } from "../mrs1/vectors";

const SEED = Number(process.env.MEDRING_FC_SEED ?? 20250310);
const RUNS = Number(process.env.MEDRING_FC_RUNS ?? 10);

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

/** Both back ends on one input: the native result must equal the reference's, field by field. */
function expectSameAsReference(sig: Mrs1Signature, what = "") {
  const reference = verifyForChain(sig);
  const native = verifyForChainNative(sig);
  expect(native, what).to.deep.equal(reference);
  return reference;
}

interface Signed {
  sig: Mrs1Signature;
  /** Secret keys in ring order. */
  keys: KeyPair[];
  signer: number;
}

/** A valid signature of a fresh ring of n members, keeping the keys (the degenerate cases below need them). */
function signedRing(n: number, signerPick: number, scope: Uint8Array, message: Uint8Array): Signed {
  const fresh = Array.from({ length: n }, generateKeyPair);
  const ring = sortRing(fresh.map((k) => k.publicKey));
  const keys = ring.map((p) => fresh.find((k) => k.publicKey.equals(p))!);
  const signer = signerPick % n;
  return { sig: sign({ secretKey: keys[signer].secretKey, ring, scope, message }), keys, signer };
}

/**
 * MRS-1 §Signing with the decoys' (c_i, e_i) chosen by the caller, zeros allowed: `sign` draws them from
 * [1, n-1], so this is the only way to get valid signatures whose scalars make libsecp256k1 take its
 * zero-scalar branches. Test-only; the arithmetic is noble's, the challenge is src/mrs1's.
 */
function signWithDecoyScalars(s: Signed, decoy: (i: number) => { c: bigint; e: bigint }): Mrs1Signature {
  const { scope, message, ring, keyImage } = s.sig;
  const hashPoints = ring.map((p) => hashToPoint(scope, p).point);
  const v = mod(BigInt("0x" + Buffer.from(randomBytes(32)).toString("hex")), N_ORDER - 1n) + 1n;
  const c: bigint[] = [];
  const e: bigint[] = [];
  const L: Point[] = [];
  const R: Point[] = [];
  ring.forEach((p, i) => {
    if (i === s.signer) {
      L.push(Point.BASE.multiply(v));
      R.push(hashPoints[i].multiply(v));
      return;
    }
    const d = decoy(i);
    c[i] = d.c;
    e[i] = d.e;
    L.push(Point.BASE.multiplyUnsafe(d.e).add(p.multiplyUnsafe(d.c)));
    R.push(hashPoints[i].multiplyUnsafe(d.e).add(keyImage.multiplyUnsafe(d.c)));
  });
  const others = c.reduce((a, b) => a + (b ?? 0n), 0n);
  c[s.signer] = mod(challenge(scope, message, ring, keyImage, L, R) - others, N_ORDER);
  e[s.signer] = mod(v - c[s.signer] * s.keys[s.signer].secretKey, N_ORDER);
  return { ...s.sig, c, e };
}

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const scalar = fc.bigInt({ min: 1n, max: N_ORDER - 1n });
const signedArb = fc
  .record({ n: fc.integer({ min: 1, max: 32 }), signer: fc.nat(), scope: bytes32, message: bytes32 })
  .map(({ n, signer, scope, message }) => signedRing(n, signer, scope, message));

const at = (s: Mrs1Signature, pick: number) => pick % s.ring.length;
const replaced = <T>(xs: readonly T[], i: number, v: T) => xs.map((x, j) => (j === i ? v : x));
const offCurve = (p: Point) => {
  const { x, y } = p.toAffine();
  return new Point(x, (y + 1n) % P_FIELD, 1n); // (x, y + 1) is not on the curve: y^2 = x^3 + 7 has the roots +-y only
};

type Mutation = { name: string; apply: (s: Signed, pick: number, k: bigint) => Mrs1Signature | undefined };

/** Every single mutation of a valid signature, and the degenerate inputs that make libsecp256k1 refuse a call. */
const MUTATIONS: Mutation[] = [
  { name: "a c_i changed", apply: ({ sig }, p, k) => ({ ...sig, c: replaced(sig.c, at(sig, p), (sig.c[at(sig, p)] + k) % N_ORDER) }) },
  { name: "an e_i changed", apply: ({ sig }, p, k) => ({ ...sig, e: replaced(sig.e, at(sig, p), (sig.e[at(sig, p)] + k) % N_ORDER) }) },
  { name: "a c_i set to zero", apply: ({ sig }, p) => ({ ...sig, c: replaced(sig.c, at(sig, p), 0n) }) },
  { name: "an e_i set to zero", apply: ({ sig }, p) => ({ ...sig, e: replaced(sig.e, at(sig, p), 0n) }) },
  { name: "c_i and e_i both zero (L_i = O)", apply: ({ sig }, p) => ({ ...sig, c: replaced(sig.c, at(sig, p), 0n), e: replaced(sig.e, at(sig, p), 0n) }) },
  { name: "c_i + n (non-canonical)", apply: ({ sig }, p) => ({ ...sig, c: replaced(sig.c, at(sig, p), sig.c[at(sig, p)] + N_ORDER) }) },
  { name: "e_i + n (non-canonical)", apply: ({ sig }, p) => ({ ...sig, e: replaced(sig.e, at(sig, p), sig.e[at(sig, p)] + N_ORDER) }) },
  { name: "the key image moved", apply: ({ sig }, _p, k) => ({ ...sig, keyImage: sig.keyImage.add(Point.BASE.multiply(k)) }) },
  { name: "the key image at infinity", apply: ({ sig }) => ({ ...sig, keyImage: Point.ZERO }) },
  { name: "the key image off the curve", apply: ({ sig }) => ({ ...sig, keyImage: offCurve(sig.keyImage) }) },
  { name: "the message changed", apply: ({ sig }, p) => ({ ...sig, message: sig.message.map((b, j) => (j === p % 32 ? b ^ 1 : b)) }) },
  { name: "the scope changed", apply: ({ sig }, p) => ({ ...sig, scope: sig.scope.map((b, j) => (j === p % 32 ? b ^ 0x80 : b)) }) },
  {
    name: "a ring member replaced (re-sorted)",
    apply: ({ sig }, p, k) => ({ ...sig, ring: sortRing(replaced(sig.ring, at(sig, p), Point.BASE.multiply(k))) }),
  },
  { name: "a ring member replaced (not re-sorted)", apply: ({ sig }, p, k) => ({ ...sig, ring: replaced(sig.ring, at(sig, p), Point.BASE.multiply(k)) }) },
  { name: "a ring member off the curve", apply: ({ sig }, p) => ({ ...sig, ring: replaced(sig.ring, at(sig, p), offCurve(sig.ring[at(sig, p)])) }) },
  { name: "a ring member at infinity", apply: ({ sig }, p) => ({ ...sig, ring: replaced(sig.ring, at(sig, p), Point.ZERO) }) },
  {
    name: "two members swapped",
    apply: ({ sig }, p) => {
      if (sig.ring.length < 2) return undefined;
      const i = at(sig, p);
      const j = (i + 1) % sig.ring.length;
      return { ...sig, ring: replaced(replaced(sig.ring, i, sig.ring[j]), j, sig.ring[i]) };
    },
  },
  {
    name: "a member duplicated",
    apply: ({ sig }, p) => (sig.ring.length < 2 ? undefined : { ...sig, ring: replaced(sig.ring, (at(sig, p) + 1) % sig.ring.length, sig.ring[at(sig, p)]) }),
  },
  { name: "one c value dropped", apply: ({ sig }) => ({ ...sig, c: sig.c.slice(1) }) },
  { name: "the ring emptied", apply: ({ sig }) => ({ ...sig, ring: [], c: [], e: [] }) },
  {
    // e_i = -c_i·x_i makes L_i = e_i·G + c_i·x_i·G = O
    name: "e_i chosen so that L_i is the point at infinity",
    apply: ({ sig, keys }, p) => ({ ...sig, e: replaced(sig.e, at(sig, p), mod(-sig.c[at(sig, p)] * keys[at(sig, p)].secretKey, N_ORDER)) }),
  },
  {
    // I = t·H_p(scope, P_i) and e_i = -c_i·t make R_i = e_i·H_p + c_i·I = O (L_i stays finite unless t = x_i)
    name: "key image and e_i chosen so that R_i is the point at infinity",
    apply: ({ sig }, p, t) => {
      const i = at(sig, p);
      return { ...sig, keyImage: hashToPoint(sig.scope, sig.ring[i]).point.multiply(t), e: replaced(sig.e, i, mod(-sig.c[i] * t, N_ORDER)) };
    },
  },
];

describe("relayer native MRS-1 back end (libsecp256k1) against src/mrs1", function () {
  describe("vectors", function () {
    const vectors = loadVectors();
    vectors.hashToPoint.forEach((v, i) => {
      it(`H_p vector ${i}: ctr ${v.ctr}, the even root, and one skipped candidate per earlier counter`, function () {
        const result = hashToPointNative(parseHexBytes(v.scope, "scope", 32), parsePoint(v.publicKey, "publicKey"));
        expect(result.ctr).to.equal(v.ctr);
        expect(result.point.toAffine()).to.deep.equal({ x: parseHexUint256(v.x, "x"), y: parseHexUint256(v.y, "y") });
        expect(result.skipped).to.have.length(v.ctr);
      });
    });
    vectors.signatures.forEach((v, i) => {
      it(`signature vector ${i}: n=${v.ring.length} ${v.valid ? "valid" : `invalid (${v.reason})`}: same parse, verdict and VerifierArgs`, function () {
        const parsed = parseSignatureJson(v, nativePointDecoder());
        expect(parsed).to.deep.equal(parseSignatureJson(v));
        expect(parsed.ok && expectSameAsReference(parsed.signature).verdict.valid).to.equal(v.valid);
      });
    });
  });

  describe(`properties (fast-check seed ${SEED}, ${RUNS} runs each)`, function () {
    it("valid signatures of 1..32 members: valid, with the reference's VerifierArgs byte for byte", function () {
      fc.assert(
        fc.property(signedArb, ({ sig }) => {
          expect(expectSameAsReference(sig).verdict).to.deep.equal({ valid: true });
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });

    it("valid signatures whose decoys have a zero c_i or e_i (libsecp256k1 refuses zero scalars): same VerifierArgs", function () {
      fc.assert(
        fc.property(
          fc.integer({ min: 2, max: 12 }),
          fc.nat(),
          bytes32,
          bytes32,
          fc.array(fc.constantFrom("c", "e", "neither"), { minLength: 12, maxLength: 12 }),
          scalar,
          (n, signer, scope, message, zeros, k) => {
            const s = signedRing(n, signer, scope, message);
            const sig = signWithDecoyScalars(s, (i) => ({ c: zeros[i] === "c" ? 0n : k, e: zeros[i] === "e" ? 0n : (k * 3n) % N_ORDER }));
            expect(expectSameAsReference(sig).verdict).to.deep.equal({ valid: true });
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
    });

    for (const mutation of MUTATIONS) {
      it(`${mutation.name}: same verdict, reason and detail`, function () {
        fc.assert(
          fc.property(signedArb, fc.nat(), scalar, (signed, pick, k) => {
            const mutated = mutation.apply(signed, pick, k);
            fc.pre(mutated !== undefined);
            expect(expectSameAsReference(mutated!, mutation.name).verdict.valid).to.equal(false);
          }),
          { seed: SEED, numRuns: RUNS },
        );
      });
    }

    it("every position of every mutation on one ring of 4: same result", function () {
      const signed = signedRing(4, 2, randomBytes(32), randomBytes(32));
      for (const mutation of MUTATIONS) {
        for (let i = 0; i < 4; i++) {
          const mutated = mutation.apply(signed, i, 12345n);
          if (mutated) expectSameAsReference(mutated, `${mutation.name} at ${i}`);
        }
      }
    });

    it("L_1 at infinity is reported as rule 5 at the first position, as the reference does", function () {
      const { sig, keys } = signedRing(3, 0, randomBytes(32), randomBytes(32));
      const bad = { ...sig, e: replaced(sig.e, 0, mod(-sig.c[0] * keys[0].secretKey, N_ORDER)) };
      expect(expectSameAsReference(bad).verdict).to.deep.equal({
        valid: false,
        reason: "commitment-at-infinity",
        detail: "L_1 or R_1 is the point at infinity",
      });
    });
  });

  describe("point decoding (parseSignatureJson with the native decoder)", function () {
    const hex = (b: Uint8Array) => "0x" + Buffer.from(b).toString("hex");
    const be = (k: bigint) => k.toString(16).padStart(64, "0");
    const signed = encodeSignatureJson(signedRing(3, 1, randomBytes(32), randomBytes(32)).sig);
    const good = (): Mrs1SignatureJson => structuredClone(signed);

    it("gives the reference's points and refusals for random SEC1 encodings, with x and y up to 2^256 (fast-check)", function () {
      const coordinate = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.bigInt({ min: P_FIELD - 3n, max: P_FIELD + 3n }));
      const encoding = fc.oneof(
        fc.record({ prefix: fc.constantFrom("02", "03"), x: coordinate }).map(({ prefix, x }) => `0x${prefix}${be(x)}`),
        fc.record({ x: coordinate, y: coordinate }).map(({ x, y }) => `0x04${be(x)}${be(y)}`),
        // on-curve points, in both forms, and the same x with the other or a wrong y
        fc.record({ k: scalar, flip: fc.constantFrom(0n, 1n, P_FIELD) }).map(({ k, flip }) => {
          const { x, y } = Point.BASE.multiply(k).toAffine();
          return flip === 0n ? hex(Point.BASE.multiply(k).toBytes(true)) : `0x04${be(x)}${be(flip === 1n ? (y + 1n) % P_FIELD : P_FIELD - y)}`;
        }),
      );
      fc.assert(
        fc.property(fc.nat(), encoding, fc.boolean(), (pick, point, asKeyImage) => {
          const json = good();
          if (asKeyImage) json.keyImage = point;
          else json.ring[pick % 3] = point;
          const native = parseSignatureJson(json, nativePointDecoder());
          expect(native).to.deep.equal(parseSignatureJson(json));
          if (native.ok) expectSameAsReference(native.signature);
        }),
        { seed: SEED, numRuns: 200 },
      );
    });

    it("refuses x >= p, a compressed x with no point and an uncompressed (x, y) off the curve as point-not-on-curve", function () {
      const json = good();
      const { x, y } = parsePoint(json.ring[0], "ring[0]").toAffine();
      let noPoint = 5n;
      while (sqrtModP(curveRhs(noPoint)) !== undefined) noPoint++;
      for (const bad of [`0x02${be(P_FIELD + 1n)}`, `0x03${be(noPoint)}`, `0x04${be(x)}${be((y + 1n) % P_FIELD)}`, `0x04${be(x)}${be(P_FIELD + 1n)}`]) {
        const parsed = parseSignatureJson({ ...json, ring: [bad, ...json.ring.slice(1)] }, nativePointDecoder());
        expect(parsed).to.deep.include({ ok: false, reason: "point-not-on-curve" });
        expect(parsed).to.deep.equal(parseSignatureJson({ ...json, ring: [bad, ...json.ring.slice(1)] }));
      }
    });
  });

  describe("sqrtModPFast", function () {
    it("equals src/mrs1 sqrtModP on squares, non-squares and the edges of the field (fast-check)", function () {
      const element = fc.oneof(fc.bigInt({ min: 0n, max: P_FIELD - 1n }), fc.constantFrom(0n, 1n, 2n, P_FIELD - 1n, P_FIELD - 2n));
      let squares = 0;
      fc.assert(
        fc.property(element, (a) => {
          const expected = sqrtModP(a);
          if (expected !== undefined) squares++;
          expect(sqrtModPFast(a)).to.equal(expected);
        }),
        { seed: SEED, numRuns: 500 },
      );
      expect(squares, "about half of the elements are squares").to.be.within(100, 400);
    });

    it("throws a RangeError for a value outside [0, p)", function () {
      expect(() => sqrtModPFast(P_FIELD)).to.throw(RangeError);
      expect(() => sqrtModPFast(-1n)).to.throw(RangeError);
    });
  });
});
