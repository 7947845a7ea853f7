/**
 * Prints the `G_MULTIPLES` constant of contracts/crypto/MultiScalarMul.sol: the affine multiples k·G of the
 * secp256k1 generator for k = 1..16 (x || y, 32 bytes each, big-endian), computed with @noble/curves.
 * Straus copies the first 2^(c-1) of them instead of building G's table (issue 6, docs/verifier-gas.md).
 * Run: `npx ts-node scripts/gMultiples.ts`. test/verifier/curve.test.ts checks the constant against noble.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";

export const G_MULTIPLES_COUNT = 16;

/** The constant's bytes as hex (no 0x): k·G for k = 1..G_MULTIPLES_COUNT, each x || y. */
export function gMultiplesHex(): string {
  const G = secp256k1.Point.BASE;
  let hex = "";
  for (let k = 1n; k <= BigInt(G_MULTIPLES_COUNT); k++) {
    const { x, y } = G.multiply(k).toAffine();
    hex += x.toString(16).padStart(64, "0") + y.toString(16).padStart(64, "0");
  }
  return hex;
}

if (require.main === module) console.log(`hex"${gMultiplesHex()}"`);
