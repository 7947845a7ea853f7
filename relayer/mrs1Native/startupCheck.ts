/**
 * The relayer's start-up check for its MRS-1 fast path: the native libsecp256k1 binding loads (no JavaScript
 * fall-back), and the fast path gives src/mrs1's answer on a fresh signature, valid and forged.
 */
import { isDeepStrictEqual } from "node:util";
import { randomBytes } from "@noble/hashes/utils.js";
import { N_ORDER, encodeSignatureJson, generateKeyPair, parseSignatureJson, sign, sortRing, verifyForChain } from "../../src/mrs1";
import { NativeSecp256k1Unavailable, loadNativeSecp256k1, secp256k1PackageDir } from "./binding";
import { nativePointDecoder, verifyForChainNative } from "./verifyForChain";

/** `sig` with c_1 + 1 (mod n): the smallest forgery, which every verifier must refuse (MRS-1 §Verification 5). */
export function forgeChallenge<S extends { c: readonly bigint[] }>(sig: S): S {
  return { ...sig, c: sig.c.map((c, i) => (i === 0 ? (c + 1n) % N_ORDER : c)) };
}

/** Throws NativeSecp256k1Unavailable, with a message for the operator, unless the native fast path is usable. */
export function assertNativeVerifier(packageDir: string = secp256k1PackageDir()): void {
  loadNativeSecp256k1(packageDir);
  const keys = [generateKeyPair(), generateKeyPair(), generateKeyPair()];
  const signed = sign({ secretKey: keys[1].secretKey, ring: sortRing(keys.map((k) => k.publicKey)), scope: randomBytes(32), message: randomBytes(32) });
  const forged = forgeChallenge(signed);
  for (const [sig, valid] of [
    [signed, true],
    [forged, false],
  ] as const) {
    const json = encodeSignatureJson(sig);
    const parsed = parseSignatureJson(json, nativePointDecoder());
    const fast = verifyForChainNative(sig);
    const agrees = parsed.ok && isDeepStrictEqual(parsed, parseSignatureJson(json)) && isDeepStrictEqual(fast, verifyForChain(sig));
    if (!agrees || fast.verdict.valid !== valid) {
      throw new NativeSecp256k1Unavailable(
        `the native libsecp256k1 binding (${packageDir}) loaded but disagrees with src/mrs1 on a fresh ring-3 signature; the relayer does not start with it`,
      );
    }
  }
}
