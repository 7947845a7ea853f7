/**
 * Call arguments for the on-chain verifier straight from an interchange-format JSON object (MRS-1 §Interchange),
 * for signatures the TS decoder refuses (off-curve points, bad lengths): the verifier must still get to reject
 * them. Points decode to raw (x, y) bigints: uncompressed as given, compressed by decompression when possible,
 * otherwise (x, 0), which is never on the curve (no point of secp256k1 has y = 0). Hints are the honest ones
 * from src/mrs1 wherever the inputs allow them, and (0, 0) / empty otherwise.
 */
import { parseHexBytes, parseHexUint256, bytesToHex } from "../src/hex";
import {
  N_ORDER,
  Point,
  hashToPointCandidate,
  hashToPointHints,
  isOnCurve,
  parseSignatureJson,
  toVerifierArgs,
  type AffinePointStruct,
  type VerifierArgs,
} from "../src/mrs1";
import { commitment } from "../src/mrs1/verify";

function rawPoint(hex: string, field: string): AffinePointStruct {
  const bytes = parseHexBytes(hex, field);
  const x = BigInt(bytesToHex(bytes.slice(1, 33)));
  if (bytes.length === 65) return { x, y: BigInt(bytesToHex(bytes.slice(33))) };
  try {
    const { y } = Point.fromBytes(bytes).toAffine();
    return { x, y };
  } catch {
    return { x, y: 0n };
  }
}

const asPoint = (p: AffinePointStruct): Point | undefined => (isOnCurve(p.x, p.y) ? Point.fromAffine(p) : undefined);
const ZERO: AffinePointStruct = { x: 0n, y: 0n };

export function verifierArgsFromJson(json: { scope: string; message: string; ring: string[]; keyImage: string; c: string[]; e: string[] }): VerifierArgs {
  const parsed = parseSignatureJson({ scheme: "MRS-1", ...json });
  if (parsed.ok) return toVerifierArgs(parsed.signature);
  const scope = parseHexBytes(json.scope, "scope", 32);
  const ring = json.ring.map((h, i) => rawPoint(h, `ring[${i}]`));
  const keyImage = rawPoint(json.keyImage, "keyImage");
  const c = json.c.map((h, i) => parseHexUint256(h, `c[${i}]`));
  const e = json.e.map((h, i) => parseHexUint256(h, `e[${i}]`));
  const image = asPoint(keyImage);
  const hints: VerifierArgs["hints"] = { hashPointY: [], hashCounters: [], nonResidueRoots: [], commitmentsL: [], commitmentsR: [] };
  ring.forEach((raw, i) => {
    const member = asPoint(raw);
    if (!member) {
      hints.hashPointY.push(0n);
      hints.hashCounters.push(0);
      hints.commitmentsL.push(ZERO);
      hints.commitmentsR.push(ZERO);
      return;
    }
    const h2p = hashToPointHints(scope, member);
    hints.hashPointY.push(h2p.y);
    hints.hashCounters.push(h2p.ctr);
    hints.nonResidueRoots.push(...h2p.nonResidueRoots);
    const hashPoint = Point.fromAffine({ x: hashToPointCandidate(scope, member, h2p.ctr), y: h2p.y });
    const [ci, ei] = [(c[i] ?? 0n) % N_ORDER, (e[i] ?? 0n) % N_ORDER];
    const L = commitment(Point.BASE, ei, ci, member);
    hints.commitmentsL.push(L.is0() ? ZERO : L.toAffine());
    const R = image ? commitment(hashPoint, ei, ci, image) : Point.ZERO;
    hints.commitmentsR.push(R.is0() ? ZERO : R.toAffine());
  });
  return { scope: json.scope, message: json.message, sig: { ring, keyImage, c, e }, hints };
}
