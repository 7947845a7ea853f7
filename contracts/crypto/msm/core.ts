/**
 * MultiScalarMulCore: the multi-scalar multiplication sum_j s_j·Q_j on secp256k1 (s_j < 2^128), written as
 * hand-scheduled EVM code with the assembler in ./asm.ts. RingVerifier creates one instance in its constructor
 * and reaches it by STATICCALL (contracts/crypto/MultiScalarMul.sol); it is an ordinary contract, not a
 * precompile, and it serves only its creator. The interface (calldata, return data, errors) is specified in
 * contracts/interfaces/IMultiScalarMulCore.sol; docs/verifier-gas.md has the measurements.
 *
 * Points are XYZZ (x = X/ZZ, y = Y/ZZZ, ZZ^3 = ZZZ^2), formulas from the Explicit-Formulas Database for a = 0:
 * madd-2008-s (XYZZ + affine), add-2008-s (XYZZ + XYZZ), dbl-2008-s-1. On the stack a point is four slots, top
 * first X, Y, ZZ, ZZZ; in memory four words at a, a+32, a+64, a+96. O is (0, 0, 0, 0) in the exact code.
 *
 * Fast paths. The hot loops use the formulas without any branch: they are exact whenever no addition meets an
 * exceptional case (P == ±Q or an O operand, i.e. H = 0 in the formulas). Every accumulator and bucket therefore
 * starts at the offset point T (constants.ts) instead of O, and T's known total multiple is subtracted once at
 * the end (exactly). An exceptional case cannot go unnoticed: it makes H = 0, hence ZZ3 = ZZ1·H^2 = 0, and a zero
 * ZZ stays zero through every later addition and doubling (ZZ3 = ZZ1·ZZ2·H^2, ZZ3 = V·ZZ1), so it reaches the
 * final accumulator. If that has ZZ = 0, the core discards the fast result. With EXACT_FALLBACK set in the
 * algorithm word it recomputes everything with the exact, branching code (`checkedPippenger`); without it (the
 * verifier's mode) it returns EXCEPTIONAL_RESULT, which is not O, so the caller's check "sum == O" fails. The
 * offsets are hashed to the curve (constants.ts), so an exceptional addition needs a relation between them and the
 * terms: the inputs of a valid signature meet one only if their author knows such a relation (a discrete-log
 * problem); any other input that meets one is invalid, and is rejected at the fast path's cost
 * (docs/verifier-gas.md, "Offset points").
 */
import { id } from "ethers";
import { Assembler } from "./asm";
import {
  BETA, GX, GY, OFFSET_T, OFFSET_U, OFFSET_V, P, PIPPENGER_WINDOWS, STRAUS_WINDOWS, be32, checkOffsets, digitOffset,
  encodePoints, gOddMultiples, pippengerCorrection, strausCorrection,
} from "./constants";

/** Calldata layout (IMultiScalarMulCore.sol). */
const HDR_ALGORITHM = 0x00;
const HDR_WINDOW = 0x20;
const HDR_PAIRS = 0x40;
const HDR_TERMS = 0x60;
const TERMS = 0x80; // term j at TERMS + 0x80·j: [x, y, ny = p - y, u = (s + H_c)·64]
const TERM_X = 0x00;
const TERM_Y = 0x20;
const TERM_U = 0x60;

export const STRAUS = 1;
export const PIPPENGER = 2;
/** Flag in the algorithm word: on an exceptional addition, recompute with the exact code instead of rejecting. */
export const EXACT_FALLBACK = 0x100;
/** What the core returns for an exceptional addition without EXACT_FALLBACK: (X, Y, ZZ, ZZZ) = (0, 0, 1, 1), not O. */
export const EXCEPTIONAL_RESULT = [0n, 0n, 1n, 1n] as const;

const selector = (signature: string) => BigInt(id(signature).slice(0, 10));
export const ERRORS = {
  notCreator: "MultiScalarMulNotCreator(address)",
  malformed: "MultiScalarMulMalformedTerms(uint256,uint256)",
  badPlan: "MultiScalarMulBadPlan(uint256,uint256)",
  notOnCurve: "MultiScalarMulNotOnCurve()",
};

/** The largest Straus window whose G table is in the code. */
const G_TABLE_WINDOW = STRAUS_WINDOWS[1];

export interface BuiltCore {
  /** Runtime code; bytes 1..32 (the PUSH32 immediate) hold the creator, patched by the initcode. */
  runtime: Uint8Array;
  /** Creation code: copies the runtime, writes CALLER into it, returns it. */
  initcode: Uint8Array;
  listing: string;
  /** Static gas of labelled straight-line blocks (documentation and planner calibration). */
  blockGas: Record<string, number>;
}

export function buildCore(): BuiltCore {
  checkOffsets();
  const [T, U, V] = [OFFSET_T, OFFSET_U, OFFSET_V].map((q) => q.toAffine());
  const a = new Assembler({ P, BETA, GX, GY, TX: T.x, TY: T.y, UX: U.x, UY: U.y, VX: V.x, VY: V.y });

  // ================================================================== entry: only the creator may call
  a.push32(0n, "creator", "creator address, written here by the initcode (bytes 1..32)");
  a.op("CALLER", "caller");
  a.op("EQ", "isCreator", "caller == creator");
  a.jumpi("checkHeader");
  a.op("CALLER", "caller");
  revertWith(a, ERRORS.notCreator, ["caller"]);
  a.label("checkHeader");

  // ================================================================== header
  a.expr(`calldataload(${HDR_TERMS})`, "nTerms");
  a.expr(`calldataload(${HDR_PAIRS})`, "nPairs");
  // malformed: more than 0xffff terms (bounds 0x80·nTerms), calldata size != 0x80 + 128·nTerms, an odd number of
  // pair terms, or more pair terms than terms
  a.expr(`or(or(gt(nTerms, 0xffff), iszero(eq(calldatasize(), add(${TERMS}, shl(7, nTerms))))), or(and(nPairs, 1), gt(nPairs, nTerms)))`, "bad");
  a.jumpi("malformed");
  a.expr(`add(${TERMS}, shl(7, nPairs!))`, "pairsEnd"); // calldata offset after the last pair term
  a.expr(`add(${TERMS}, shl(7, nTerms))`, "tEnd"); // calldata offset after the last term
  a.drop("nTerms");
  a.expr(`calldataload(${HDR_WINDOW})`, "c");
  a.expr(`and(calldataload(${HDR_ALGORITHM}), not(${EXACT_FALLBACK}))`, "algorithm"); // the flag is read on the degenerate path
  // Straus: window in [2, 6]
  a.expr(`and(eq(algorithm, ${STRAUS}), and(gt(c, ${STRAUS_WINDOWS[0] - 1}), lt(c, ${STRAUS_WINDOWS[1] + 1})))`, "isStraus");
  a.jumpi("strausEntry");
  a.expr(`and(eq(algorithm, ${PIPPENGER}), and(gt(c, ${PIPPENGER_WINDOWS[0] - 1}), lt(c, ${PIPPENGER_WINDOWS[1] + 1})))`, "isPippenger");
  a.jumpi("pippengerEntry");
  a.dup("c");
  a.dup("algorithm");
  revertWith(a, ERRORS.badPlan, ["algorithm", "c"]);

  a.label("malformed");
  a.op("CALLDATASIZE", "size");
  a.expr(`calldataload(${HDR_PAIRS})`, "nPairs");
  a.swapN(1);
  revertWith(a, ERRORS.malformed, ["size", "nPairs"]);

  // ================================================================== Pippenger entry (fast, then exact if needed)
  a.label("pippengerEntry");
  a.pop("algorithm");
  fastPippenger(a);
  // [acc c tEnd pairsEnd]: acc = memory address of the XYZZ result before the correction
  a.label("finishPippenger");
  finish(a, "pippengerCorrections", "degenerate");

  // ================================================================== Straus entry
  a.label("strausEntry");
  a.pop("algorithm");
  fastStraus(a);
  a.label("finishStraus");
  finish(a, "strausCorrections", "degenerate");

  // ================================================================== an exceptional addition: reject or recompute
  a.label("degenerate");
  a.expr(`and(calldataload(${HDR_ALGORITHM}), ${EXACT_FALLBACK})`, "exact");
  a.jumpi("checkedEntry");
  EXCEPTIONAL_RESULT.forEach((word, i) => {
    a.push(word, "v");
    a.push(0x20 * i, "at");
    a.op("MSTORE", null, `result word ${i}`);
  });
  a.push(0x80, "len");
  a.push(0, "from");
  a.op("RETURN", null, "return EXCEPTIONAL_RESULT (not O: the caller's sum == O check fails)");
  a.end();

  // ================================================================== exact fallback
  a.label("checkedEntry");
  a.pop("acc");
  checkedPippenger(a);
  // [acc c tEnd pairsEnd]
  a.expr("acc", "from");
  a.push(0x80, "len");
  a.swapN(1);
  a.op("RETURN", null, "return X, Y, ZZ, ZZZ");
  a.end();

  // ================================================================== subroutines and data
  exactRoutines(a);
  a.data("pippengerCorrections", encodePoints(range(PIPPENGER_WINDOWS[0], PIPPENGER_WINDOWS[1]).map(pippengerCorrection)), "-(total T multiple)·T per window c, from c = 2");
  a.data("strausCorrections", encodePoints(range(STRAUS_WINDOWS[0], STRAUS_WINDOWS[1]).map(strausCorrection)), "-2^(c(W-1))·T per window c, from c = 2");
  a.data("digitOffsets", concat(range(2, 10).map((c) => be32(digitOffset(c)))), "H_c = sum_{w<W} 2^(c-1)·2^(c·w) per c, from c = 2");
  a.data("gOddMultiples", encodePoints(gOddMultiples(1 << (G_TABLE_WINDOW - 1))), "(2k+1)·G, k = 0..31");

  const { code: runtime, listing, gasBetween } = a.assemble();
  if (runtime.length > 24576) throw new Error(`MSM core runtime is ${runtime.length} bytes, above EIP-170's 24,576`);
  const blockGas: Record<string, number> = {
    fillLoop: gasBetween("fillLoop", "fillNext"),
    aggregateLoop: gasBetween("aggLoop", "aggNext"),
    strausTermLoop: gasBetween("strausTerm", "strausTermNext"),
  };
  return { runtime, initcode: initcodeFor(runtime), listing, blockGas };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** ABI-encoded custom error `signature` with the given stack slots (top = first argument), then REVERT. */
function revertWith(a: Assembler, signature: string, args: string[]): void {
  a.push(selector(signature) << 224n, "sel");
  a.push(0, "zero");
  a.op("MSTORE", null, `selector of ${signature}`);
  args.forEach((arg, i) => {
    a.expect([arg]);
    a.push(4 + 32 * i, "at");
    a.op("MSTORE", null, `argument ${i}: ${arg}`);
  });
  a.push(4 + 32 * args.length, "len");
  a.push(0, "zero");
  a.op("REVERT", null);
  a.end();
}

/**
 * The common end of both fast paths: [acc c tEnd pairsEnd] with acc the memory address of the fast result.
 * If its ZZ is 0 an exceptional addition happened somewhere (file comment): go to the exact path. Otherwise add
 * the correction point for window c (exactly: for a valid batch the result is O) and return.
 */
function finish(a: Assembler, corrections: string, fallback: string): void {
  a.expr("iszero(mload(add(acc, 0x40)))", "degenerate");
  a.jumpi(fallback);
  // correction point for this c: 64 bytes at corrections + 64·(c - 2), copied to acc + 0x80 (scratch)
  a.push(0x40, "len");
  a.pushLabel(corrections, "table");
  a.expr("add(shl(6, sub(c, 2)), table!)", "from");
  a.expr("add(acc, 0x80)", "to");
  a.op("CODECOPY", null, "correction point (x, y)");
  a.callSub("xmadd", () => {
    a.expr("mload(add(acc, 0xa0))", "y2");
    a.expr("mload(add(acc, 0x80))", "x2");
    a.dup("acc", "A");
  }, "acc += correction (exact: the sum is O for a valid batch)");
  a.expr("acc", "from");
  a.push(0x80, "len");
  a.swapN(1);
  a.op("RETURN", null, "return X, Y, ZZ, ZZZ");
  a.end();
}

// ====================================================================== fast point operations (inline)

/**
 * bucket += (x2, y2), madd-2008-s, no branch (fast path: an exceptional case leaves ZZ = 0, file comment).
 * In: [b, ...] with b the bucket's memory address; `loadX2` / `loadY2` push the affine operand's coordinates (they
 * may read slots below b). Out: b consumed, the bucket updated.
 */
function maddToMemory(a: Assembler, loadX2: () => void, loadY2: () => void): void {
  const depth = a.depth() - 1;
  a.expr("mload(add(b, 0x60))", "zzz1"); // ZZZ1
  a.expr("sub(P, mload(add(b, 0x20)))", "ny1"); // -Y1 = p - Y1
  a.push("P", "P");
  a.dup("ny1");
  a.push("P", "P");
  a.dup("zzz1");
  loadY2();
  a.op("MULMOD", "s2", "S2 = Y2·ZZZ1", ["y2", "zzz1", "P"]);
  a.op("ADDMOD", "r", "R = S2 - Y1", ["s2", "ny1", "P"]);
  a.expr("mload(add(b, 0x40))", "zz1"); // ZZ1
  a.expr("mload(b)", "x1"); // X1
  a.push("P", "P");
  a.expr("sub(P, x1)", "nx1"); // -X1
  a.push("P", "P");
  a.dup("zz1");
  loadX2();
  a.op("MULMOD", "u2", "U2 = X2·ZZ1", ["x2", "zz1", "P"]);
  a.op("ADDMOD", "h", "H = U2 - X1", ["u2", "nx1", "P"]);
  a.expr("mulmod(h, h, P)", "pp"); // PP = H^2
  a.expr("mulmod(h, pp, P)", "ppp"); // PPP = H·PP
  a.expr("mulmod(zz1, pp, P)", "zz3"); // ZZ3 = ZZ1·PP
  a.expr("add(b, 0x40)", "at");
  a.op("MSTORE", null, "bucket ZZ = ZZ3");
  a.expr("mulmod(zzz1, ppp, P)", "zzz3"); // ZZZ3 = ZZZ1·PPP
  a.expr("add(b, 0x60)", "at");
  a.op("MSTORE", null, "bucket ZZZ = ZZZ3");
  a.expr("mulmod(x1, pp, P)", "q"); // Q = X1·PP
  a.expr("addmod(mulmod(r, r, P), sub(P, addmod(addmod(q, q, P), ppp, P)), P)", "x3"); // X3 = R^2 - PPP - 2·Q
  a.expr("addmod(mulmod(r, addmod(q, sub(P, x3), P), P), mulmod(ny1, ppp, P), P)", "y3"); // Y3 = R·(Q - X3) - Y1·PPP
  a.expr("add(b, 0x20)", "at");
  a.op("MSTORE", null, "bucket Y = Y3");
  a.dup("b", "at");
  a.op("MSTORE", null, "bucket X = X3", ["at", "x3"]);
  while (a.depth() > depth) a.pop();
}

/**
 * Moves the results of an on-stack point operation into the point's slots: above `depth` are only temporaries and
 * the results; each result named in `into` is swapped into its slot (whose old value is popped), every other
 * temporary is popped. The point may sit anywhere within SWAP16 of the top.
 */
function settle(a: Assembler, depth: number, into: Record<string, string>): void {
  const pending = new Set(Object.keys(into));
  while (a.depth() > depth) {
    const top = a.view()[0];
    if (pending.has(top)) {
      a.swap(into[top]);
      a.pop(into[top]);
      a.rename(top, into[top]);
      pending.delete(top);
    } else a.pop();
  }
  if (pending.size) throw new Error(`settle: results ${[...pending].join(", ")} not above depth ${depth}`);
}

const INTO_POINT = { x3: "x1", y3: "y1", zz3: "zz1", zzz3: "zzz1" };

/**
 * acc += (x2, y2), madd-2008-s, no branch, with acc in the stack slots x1, y1, zz1, zzz1 (anywhere in reach);
 * `loadX2` / `loadY2` push the affine operand.
 */
function maddOnStack(a: Assembler, loadX2: () => void, loadY2: () => void): void {
  const depth = a.depth();
  a.expr("sub(P, y1)", "ny1"); // -Y1
  a.push("P", "P");
  a.dup("ny1");
  a.push("P", "P");
  a.dup("zzz1");
  loadY2();
  a.op("MULMOD", "s2", "S2 = Y2·ZZZ1", ["y2", "zzz1", "P"]);
  a.op("ADDMOD", "r", "R = S2 - Y1", ["s2", "ny1", "P"]);
  a.push("P", "P");
  a.expr("sub(P, x1)", "nx1"); // -X1
  a.push("P", "P");
  a.dup("zz1");
  loadX2();
  a.op("MULMOD", "u2", "U2 = X2·ZZ1", ["x2", "zz1", "P"]);
  a.op("ADDMOD", "h", "H = U2 - X1", ["u2", "nx1", "P"]);
  a.expr("mulmod(h, h, P)", "pp"); // PP = H^2
  a.expr("mulmod(zz1, pp, P)", "zz3"); // ZZ3 = ZZ1·PP
  a.expr("mulmod(h, pp, P)", "ppp"); // PPP = H·PP
  a.drop("h");
  a.expr("mulmod(zzz1, ppp, P)", "zzz3"); // ZZZ3 = ZZZ1·PPP
  a.expr("mulmod(x1, pp, P)", "q"); // Q = X1·PP
  a.drop("pp");
  a.expr("addmod(mulmod(r, r, P), sub(P, addmod(addmod(q, q, P), ppp, P)), P)", "x3"); // X3 = R^2 - PPP - 2·Q
  a.expr("mulmod(ny1, ppp, P)", "yt"); // -Y1·PPP
  a.drop("ppp");
  a.drop("ny1");
  a.expr("addmod(mulmod(r, addmod(q, sub(P, x3), P), P), yt, P)", "y3"); // Y3 = R·(Q - X3) - Y1·PPP
  settle(a, depth, INTO_POINT);
}

/**
 * acc += B, add-2008-s, no branch, with acc in the stack slots x1, y1, zz1, zzz1 and B in memory at the address
 * in slot `bAddr`.
 */
function addMemoryToStack(a: Assembler, bAddr: string): void {
  const depth = a.depth();
  a.expr(`mload(add(${bAddr}, 0x40))`, "zz2");
  a.expr(`mload(add(${bAddr}, 0x60))`, "zzz2");
  a.expr("mulmod(x1, zz2, P)", "u1"); // U1 = X1·ZZ2
  a.expr("sub(P, mulmod(y1, zzz2, P))", "ns1"); // -S1 = -Y1·ZZZ2
  a.expr(`addmod(mulmod(mload(${bAddr}), zz1, P), sub(P, u1), P)`, "h"); // H = U2 - U1, U2 = X2·ZZ1
  a.expr(`addmod(mulmod(mload(add(${bAddr}, 0x20)), zzz1, P), ns1, P)`, "r"); // R = S2 - S1, S2 = Y2·ZZZ1
  a.expr("mulmod(zz1, zz2, P)", "zzA"); // ZZ1·ZZ2
  a.drop("zz2");
  a.expr("mulmod(zzz1, zzz2, P)", "zzzA"); // ZZZ1·ZZZ2
  a.drop("zzz2");
  a.expr("mulmod(h, h, P)", "pp"); // PP = H^2
  a.expr("mulmod(h, pp, P)", "ppp"); // PPP = H·PP
  a.drop("h");
  a.expr("mulmod(u1, pp, P)", "q"); // Q = U1·PP
  a.drop("u1");
  a.expr("mulmod(zzA, pp, P)", "zz3"); // ZZ3 = ZZ1·ZZ2·PP
  a.drop("zzA");
  a.drop("pp");
  a.expr("mulmod(zzzA, ppp, P)", "zzz3"); // ZZZ3 = ZZZ1·ZZZ2·PPP
  a.drop("zzzA");
  a.expr("addmod(mulmod(r, r, P), sub(P, addmod(addmod(q, q, P), ppp, P)), P)", "x3"); // X3 = R^2 - PPP - 2·Q
  a.expr("addmod(mulmod(r, addmod(q, sub(P, x3), P), P), mulmod(ns1, ppp, P), P)", "y3"); // Y3 = R·(Q - X3) - S1·PPP
  settle(a, depth, INTO_POINT);
}

/**
 * W += run with W in memory at the address in slot `wAddr` and run in the stack slots rx, ry, rzz, rzzz (kept),
 * add-2008-s, no branch. The stack is unchanged.
 */
function addStackToMemory(a: Assembler, wAddr: string): void {
  const depth = a.depth();
  a.expr(`mload(add(${wAddr}, 0x40))`, "zz1"); // W's ZZ
  a.expr(`mload(add(${wAddr}, 0x60))`, "zzz1"); // W's ZZZ
  a.expr(`mulmod(mload(${wAddr}), rzz, P)`, "u1"); // U1 = X1·ZZ2
  a.expr(`sub(P, mulmod(mload(add(${wAddr}, 0x20)), rzzz, P))`, "ns1"); // -S1 = -Y1·ZZZ2
  a.expr("addmod(mulmod(rx, zz1, P), sub(P, u1), P)", "h"); // H = U2 - U1, U2 = X2·ZZ1
  a.expr("addmod(mulmod(ry, zzz1, P), ns1, P)", "r"); // R = S2 - S1, S2 = Y2·ZZZ1
  a.expr("mulmod(h, h, P)", "pp"); // PP = H^2
  a.expr("mulmod(h, pp, P)", "ppp"); // PPP = H·PP
  a.drop("h");
  a.expr("mulmod(mulmod(zz1, rzz, P), pp, P)", "zz3"); // ZZ3 = ZZ1·ZZ2·PP
  a.expr(`add(${wAddr}, 0x40)`, "at");
  a.op("MSTORE", null, "W.ZZ = ZZ3");
  a.drop("zz1");
  a.expr("mulmod(mulmod(zzz1, rzzz, P), ppp, P)", "zzz3"); // ZZZ3 = ZZZ1·ZZZ2·PPP
  a.expr(`add(${wAddr}, 0x60)`, "at");
  a.op("MSTORE", null, "W.ZZZ = ZZZ3");
  a.drop("zzz1");
  a.expr("mulmod(u1, pp, P)", "q"); // Q = U1·PP
  a.drop("u1");
  a.drop("pp");
  a.expr("addmod(mulmod(r, r, P), sub(P, addmod(addmod(q, q, P), ppp, P)), P)", "x3"); // X3 = R^2 - PPP - 2·Q
  a.expr("addmod(mulmod(r, addmod(q, sub(P, x3), P), P), mulmod(ns1, ppp, P), P)", "y3"); // Y3 = R·(Q - X3) - S1·PPP
  a.expr(`add(${wAddr}, 0x20)`, "at");
  a.op("MSTORE", null, "W.Y = Y3");
  a.dup(wAddr, "at");
  a.op("MSTORE", null, "W.X = X3", ["at", "x3"]);
  while (a.depth() > depth) a.pop();
}

/**
 * acc = 2^k·acc, dbl-2008-s-1 (a = 0), with acc in the stack slots x1, y1, zz1, zzz1; `times` is a slot name
 * (k >= 1) or a fixed count. O-shaped input (X = 0, ZZ = 0) stays O-shaped: X3 = M^2 - 2·S = 0, ZZ3 = V·ZZ1 = 0.
 */
function doubleOnStack(a: Assembler, times: string | number): void {
  const once = () => {
    const depth = a.depth();
    a.expr("addmod(y1, y1, P)", "u"); // U = 2·Y1
    a.expr("mulmod(u, u, P)", "v"); // V = U^2
    a.expr("mulmod(u, v, P)", "w"); // W = U·V
    a.drop("u");
    a.expr("mulmod(x1, v, P)", "s"); // S = X1·V
    a.expr("mulmod(3, mulmod(x1, x1, P), P)", "m"); // M = 3·X1^2
    a.expr("addmod(mulmod(m, m, P), sub(P, addmod(s, s, P)), P)", "x3"); // X3 = M^2 - 2·S
    a.expr("addmod(mulmod(m, addmod(s, sub(P, x3), P), P), sub(P, mulmod(w, y1, P)), P)", "y3"); // Y3 = M·(S - X3) - W·Y1
    a.expr("mulmod(v, zz1, P)", "zz3"); // ZZ3 = V·ZZ1
    a.expr("mulmod(w, zzz1, P)", "zzz3"); // ZZZ3 = W·ZZZ1
    settle(a, depth, INTO_POINT);
  };
  if (typeof times === "number") {
    for (let i = 0; i < times; i++) once();
    return;
  }
  const loop = a.unique("dbl");
  a.dup(times, "k");
  a.label(loop);
  once();
  a.expr(`add(${(1n << 256n) - 1n}, k!)`, "k"); // k - 1 (mod 2^256)
  a.dup("k", "more");
  a.jumpi(loop);
  a.pop("k");
}

// ====================================================================== fast Pippenger

/**
 * In: [c tEnd pairsEnd]. Out: [acc c tEnd pairsEnd], acc = memory address of the XYZZ sum plus the offset
 * multiple of T (finish() subtracts it).
 *
 * Signed digits: with H = sum_{w<W} 2^(c-1)·2^(c·w), W = ceil(128/c), the base-2^c digits d'_w of s + H give
 * s = sum_w (d'_w - 2^(c-1))·2^(c·w) + t·2^(c·W), t the bit above the windows (the "top bit"). The caller passes
 * u = (s + H)·64, so that (u >> c·w) & ((2^c - 1)·64) is 64·d'_w, the byte offset of d'_w's LUT entry.
 * LUT entry d' (64 bytes at 64·d'): [address of bucket |d' - 2^(c-1)|, offset of y (+Q) or ny (-Q) in a term].
 * Memory: LUT at 0, then at ws = 64·2^c: ACC, WIN, (scratch 256 bytes), buckets 0..2^(c-1) of 128 bytes from
 * ws + 0x200; bucket 0 takes digit 0 and is never read.
 */
function fastPippenger(a: Assembler): void {
  a.expr("shl(add(c, 6), 1)", "ws"); // 64·2^c: end of the LUT
  lut(a);
  // ACC = T
  a.expr("TX", "v");
  a.dup("ws", "at");
  a.op("MSTORE", null, "ACC.X = T.x");
  a.expr("TY", "v");
  a.expr("add(ws, 0x20)", "at");
  a.op("MSTORE", null, "ACC.Y = T.y");
  a.push(1, "v");
  a.expr("add(ws, 0x40)", "at");
  a.op("MSTORE", null, "ACC.ZZ = 1");
  a.push(1, "v");
  a.expr("add(ws, 0x60)", "at");
  a.op("MSTORE", null, "ACC.ZZZ = 1");
  // top bit of every term: ACC += Q_j when bit c·W of s + H is set (its digit is 0 or 1)
  a.expr("div(add(c, 127), c)", "windows"); // W = ceil(128 / c)
  a.expr("add(mul(c, windows), 6)", "topBit"); // bit c·W of s + H, in u = (s + H)·64
  a.push(TERMS, "t");
  a.label("topLoop");
  a.expr("lt(t, tEnd)", "more");
  a.expr("iszero(more!)", "done");
  a.jumpi("topDone");
  a.expr(`and(shr(topBit, calldataload(add(t, ${TERM_U}))), 1)`, "set");
  a.expr("iszero(set!)", "clear");
  a.jumpi("topNext");
  a.dup("ws", "b");
  maddToMemory(a, () => a.expr(`calldataload(add(t, ${TERM_X}))`, "x2"), () => a.expr(`calldataload(add(t, ${TERM_Y}))`, "y2"));
  a.label("topNext");
  a.expr("add(0x80, t!)", "t");
  a.jump("topLoop");
  a.label("topDone");
  a.pop("t");
  a.pop("topBit");
  // windows W-1 .. 0
  a.expr("shl(6, sub(shl(c, 1), 1))", "maskD"); // (2^c - 1)·64
  a.expr("add(ws, 0x200)", "buckets");
  a.expr("add(buckets, shl(add(c, 6), 1))", "bucketsEnd"); // bucket 2^(c-1) ends at buckets + 128·(2^(c-1) + 1) - ... see below
  // bucketsEnd = buckets + 128·(2^(c-1) + 1) = buckets + 64·2^c + 128
  a.expr("add(0x80, bucketsEnd!)", "bucketsEnd");
  a.label("windowLoop");
  a.expr("iszero(windows)", "done");
  a.jumpi("windowsDone");
  a.assign("windows", "sub(windows, 1)");
  // buckets 1..2^(c-1) = T: T into bucket 1, then doubling copies (1 -> 2 -> 4 .. buckets)
  a.expr("add(buckets, 0x80)", "b");
  storeWords(a, "b", ["TX", "TY", "1", "1"]);
  a.expr("sub(bucketsEnd, b)", "total"); // 128·2^(c-1) bytes
  a.push(0x80, "done");
  a.label("resetLoop");
  a.expr("sub(total, done)", "left");
  a.expr("xor(left, mul(gt(left, done), xor(left, done)))", "len"); // min(left, done)
  a.drop("left");
  a.dup("b", "from");
  a.expr("add(b, done)", "to");
  a.op("MCOPY", null, "buckets[done .. done + len) = buckets[0 .. len)");
  a.assign("done", "shl(1, done)"); // 2·done (the last copy may end the area sooner)
  a.expr("lt(done, total)", "more");
  a.jumpi("resetLoop");
  a.pop("done");
  a.pop("total");
  a.pop("b");
  // fill: bucket |d| += sign(d)·Q_j for every term
  a.dup("maskD");
  a.expr("mul(c, windows)", "shift");
  a.dup("tEnd");
  a.push(TERMS, "t");
  // [t tEnd shift maskD ...]; two terms per iteration (halves the loop's compare and jump), the odd one after
  a.expr("sub(tEnd, and(sub(tEnd, 0x80), 0x80))", "pairEnd"); // after the last whole pair of terms
  a.swapN(1); // [t pairEnd tEnd shift maskD ...]
  const fillOne = () => {
    a.expr(`and(shr(shift, calldataload(add(t, ${TERM_U}))), maskD)`, "D"); // 64·d', the LUT entry
    a.expr("mload(D)", "b"); // bucket |d' - 2^(c-1)|
    maddToMemory(a, () => a.expr(`calldataload(t)`, "x2"), () => a.expr("calldataload(add(t, mload(add(D, 0x20))))", "y2")); // y or p - y by sign
    a.pop("D");
    a.swap("t");
    a.expr("add(0x80, t!)", "t");
  };
  a.expr("lt(t, pairEnd)", "any");
  a.expr("iszero(any!)", "none");
  a.jumpi("fillOdd");
  a.label("fillLoop");
  fillOne();
  fillOne();
  a.label("fillNext");
  a.expr("lt(t, pairEnd)", "more");
  a.jumpi("fillLoop");
  a.label("fillOdd");
  a.expr("lt(t, tEnd)", "odd");
  a.expr("iszero(odd!)", "none");
  a.jumpi("fillDone");
  fillOne();
  a.label("fillDone");
  a.drop("pairEnd");
  a.pop("t");
  a.pop("tEnd");
  a.pop("shift");
  a.pop("maskD");
  // aggregation: WIN = V + sum_k (U + running sum of the buckets >= k) = V + 2^(c-1)·U + sum_k k·bucket[k]
  a.expr("sub(bucketsEnd, 0x80)", "b"); // bucket 2^(c-1)
  a.expr("add(ws, 0x80)", "win");
  storeWords(a, "win", ["VX", "VY", "1", "1"]); // WIN = V
  pushAffine(a, "UX", "UY"); // run = U
  addMemoryToStack(a, "b"); // run = U + bucket[half]
  for (const [from, to] of [["x1", "rx"], ["y1", "ry"], ["zz1", "rzz"], ["zzz1", "rzzz"]]) a.rename(from, to);
  addStackToMemory(a, "win"); // WIN += run
  for (const [from, to] of [["rx", "x1"], ["ry", "y1"], ["rzz", "zz1"], ["rzzz", "zzz1"]]) a.rename(from, to);
  a.label("aggLoop");
  a.assign("b", "sub(b, 0x80)");
  a.expr("eq(b, buckets)", "done");
  a.jumpi("aggDone");
  addMemoryToStack(a, "b"); // run += bucket[k]
  for (const [from, to] of [["x1", "rx"], ["y1", "ry"], ["zz1", "rzz"], ["zzz1", "rzzz"]]) a.rename(from, to);
  addStackToMemory(a, "win"); // WIN += run
  for (const [from, to] of [["rx", "x1"], ["ry", "y1"], ["rzz", "zz1"], ["rzzz", "zzz1"]]) a.rename(from, to);
  a.label("aggNext");
  a.jump("aggLoop");
  a.label("aggDone");
  for (let i = 0; i < 4; i++) a.pop(); // run
  a.swap("b");
  a.pop("b");
  // ACC = 2^c·ACC + WIN
  a.expr("mload(add(ws, 0x60))", "zzz1");
  a.expr("mload(add(ws, 0x40))", "zz1");
  a.expr("mload(add(ws, 0x20))", "y1");
  a.expr("mload(ws)", "x1");
  doubleOnStack(a, "c");
  addMemoryToStack(a, "win");
  storePoint(a, "ws");
  a.pop("win");
  a.jump("windowLoop");
  a.label("windowsDone");
  a.pop("bucketsEnd");
  a.pop("buckets");
  a.pop("maskD");
  a.pop("windows");
  a.rename("ws", "acc");
}

/** Writes [x1 y1 zz1 zzz1] (on top, consumed) to memory at the address in slot `at`, or at a fixed address. */
function storePoint(a: Assembler, at: string | number): void {
  const address = (offset: number) =>
    typeof at === "number" ? a.push(at + offset, "a") : offset === 0 ? a.dup(at, "a") : a.expr(`add(${at}, ${offset})`, "a");
  (["x1", "y1", "zz1", "zzz1"] as const).forEach((n, i) => {
    address(0x20 * i);
    a.op("MSTORE", null, n, ["a", n]);
  });
}

/** LUT for window c at memory 0: entry d' = [bucket address of |d' - 2^(c-1)|, 0x20 (d' >= half: y) or 0x40 (ny)]. */
function lut(a: Assembler): void {
  a.expr("shl(sub(c, 1), 1)", "half");
  a.push(0, "d");
  const loop = a.unique("lutLoop");
  a.label(loop);
  // k = |d - half|: d >= half ? d - half : half - d
  a.expr("lt(d, half)", "neg");
  a.expr("add(add(ws, 0x200), shl(7, xor(sub(d, half), mul(neg, xor(sub(d, half), sub(half, d))))))", "bucket"); // ws + 0x200 + 128·k
  a.expr("shl(6, d)", "at");
  a.op("MSTORE", null, "LUT[d].bucket");
  a.expr("add(0x20, shl(5, neg!))", "yoff"); // 0x20 (y) or 0x40 (ny = p - y)
  a.expr("add(shl(6, d), 0x20)", "at");
  a.op("MSTORE", null, "LUT[d].yoff");
  a.expr("add(1, d!)", "d");
  a.expr("lt(d, shl(c, 1))", "more");
  a.jumpi(loop);
  a.pop("d");
  a.pop("half");
}

// ====================================================================== fast Straus

/** Straus' working values, kept in memory (0x100..0x1ff) outside the hot loop. */
const SG = { hc: 0x100, eOffset: 0x120, rsize: 0x140, half: 0x160, stage: 0x180, pre: 0x1a0, windows: 0x1c0, maskD: 0x1e0 };
/** `$name` in an expression reads Straus' working value `name`. */
const sg = (source: string) => source.replace(/\$(\w+)/g, (_, name: keyof typeof SG) => `mload(${SG[name]})`);

function setWord(a: Assembler, at: number, source: string): void {
  a.expr(source, "v");
  a.push(at, "at");
  a.op("MSTORE", null, `memory[${at}] = ${source}`);
}

/**
 * In: [c tEnd pairsEnd]. Out: [acc c tEnd pairsEnd] like fastPippenger.
 *
 * Odd-digit recoding (no zero digit, so no O entry and no branch): for odd s < 2^128 and W = ceil(129/c),
 * E = (s + 2^(cW) - 1)/2 < 2^(cW) has base-2^c digits e_w with s = sum_w (2·e_w - (2^c - 1))·2^(c·w): every digit
 * is odd, in [-(2^c - 1), 2^c - 1]. An even s is replaced by s + 1 and Q_j is subtracted at the end.
 * Term j's record (memory, at 0x200 + j·rsize): [E·64, then 2^c affine entries (x, y), entry e = (2e - 2^c + 1)·Q].
 * Only the odd multiples m·Q, m = 1, 3, .., 2^c - 1 are computed (XYZZ, then affine with one batch inversion);
 * the negative half mirrors them (y -> p - y). The second term of a pair, ±phi(Q), gets (beta·x, ±y) of its
 * partner's entries; a term ±G copies the odd multiples of G from the code.
 * Memory: ACC at 0, doubling scratch at 0x80, working values at 0x100, records from 0x200, then the XYZZ
 * multiples (128·half bytes per term), then their prefix products (32·half bytes per term).
 */
function fastStraus(a: Assembler): void {
  setWord(a, SG.windows, "div(add(c, 128), c)"); // W = ceil(129 / c)
  setWord(a, SG.rsize, "add(0x20, shl(add(c, 6), 1))"); // record: E·64 and 2^c entries of 64 bytes
  setWord(a, SG.half, "shl(sub(c, 1), 1)"); // 2^(c-1) odd multiples per table
  setWord(a, SG.stage, sg("add(0x200, mul(shr(7, sub(tEnd, 0x80)), $rsize))")); // after nTerms records
  setWord(a, SG.pre, sg("add($stage, mul(shr(7, sub(tEnd, 0x80)), shl(7, $half)))")); // after the XYZZ multiples
  setWord(a, SG.maskD, "shl(6, sub(shl(c, 1), 1))"); // (2^c - 1)·64
  setWord(a, SG.eOffset, sg("sub(shl(mul(c, $windows), 1), 1)")); // 2^(cW) - 1
  // H_c (32 bytes per c from c = 2) from the code, to recover s = u/64 - H_c
  a.push(0x20, "len");
  a.pushLabel("digitOffsets", "table");
  a.expr("add(shl(5, sub(c, 2)), table!)", "from");
  a.push(SG.hc, "to");
  a.op("CODECOPY", null, "H_c");

  // -------- pass 1: E of every term; the XYZZ odd multiples of the terms whose table is built
  a.push(1, "prod"); // product of the ZZZ of every staged multiple so far
  a.push(TERMS, "t");
  a.label("sPass1");
  a.expr("lt(t, tEnd)", "more");
  a.expr("iszero(more!)", "done");
  a.jumpi("sPass1Done");
  a.expr(sg("add(0x200, mul(shr(7, sub(t, 0x80)), $rsize))"), "rec");
  a.expr(sg(`sub(shr(6, calldataload(add(t, ${TERM_U}))), $hc)`), "s"); // s = u/64 - H_c
  a.expr(sg("shl(6, shr(1, add($eOffset, or(1, s!))))"), "e64"); // E·64, E = ((s | 1) + 2^(cW) - 1) / 2
  a.dup("rec", "at");
  a.op("MSTORE", null, "record[0] = E·64", ["at", "e64"]);
  a.pop("rec");
  skipUnbuilt(a, "sPass1Next");
  a.expr(sg("add($stage, mul(shr(7, sub(t, 0x80)), shl(7, $half)))"), "sgj"); // staged multiples of term j
  a.expr(sg("add($pre, mul(shr(7, sub(t, 0x80)), shl(5, $half)))"), "prj"); // their prefix products
  // 2Q at 0x80 (dbl of (x, y, 1, 1))
  pushAffine(a, "calldataload(t)", `calldataload(add(t, ${TERM_Y}))`);
  doubleOnStack(a, 1);
  storePoint(a, 0x80);
  // M = Q = (x, y, 1, 1): multiple 0
  pushAffine(a, "calldataload(t)", `calldataload(add(t, ${TERM_Y}))`);
  a.push(0, "k");
  a.label("sMultiples");
  // staged[k] = M, pre[k] = prod, prod = prod·ZZZ(M)
  a.expr("add(sgj, shl(7, k))", "at");
  storePointKeep(a, "at");
  a.pop("at");
  a.dup("prod", "v");
  a.expr("add(prj, shl(5, k))", "at");
  a.op("MSTORE", null, "pre[k] = product of the ZZZ before multiple k");
  a.assign("prod", "mulmod(prod, zzz1, P)"); // prod·ZZZ_k
  a.expr("add(1, k!)", "k");
  a.expr(sg("lt(k, $half)"), "more");
  a.expr("iszero(more!)", "done");
  a.jumpi("sMultiplesDone");
  a.push(0x80, "d2");
  addMemoryToStack(a, "d2"); // M = M + 2Q: the next odd multiple
  a.pop("d2");
  a.jump("sMultiples");
  a.label("sMultiplesDone");
  a.pop("k");
  for (const n of ["x1", "y1", "zz1", "zzz1"]) a.drop(n);
  a.pop("prj");
  a.pop("sgj");
  a.label("sPass1Next");
  a.assign("t", "add(0x80, t)");
  a.jump("sPass1");
  a.label("sPass1Done");
  a.pop("t");

  // -------- one inversion of the product of every staged ZZZ (0: some Q_j was not a curve point)
  a.expr("iszero(prod)", "zero");
  a.jumpi("notOnCurve");
  a.callSub("invP", () => a.dup("prod", "x"), "1 / product", ["inv"]);
  a.drop("prod");

  // -------- pass 2 (backward): affine entries; ±G tables from the code
  a.dup("tEnd", "t");
  a.label("sPass2");
  a.expr("eq(t, 0x80)", "done");
  a.jumpi("sPass2Done");
  a.assign("t", "sub(t, 0x80)");
  a.expr(sg("add(0x200, mul(shr(7, sub(t, 0x80)), $rsize))"), "rec");
  a.expr(sg("add(add(rec, 0x20), shl(6, $half))"), "pos0"); // entry half = 1·Q
  a.expr("and(lt(t, pairsEnd), and(shr(7, sub(t, 0x80)), 1))", "partner");
  a.jumpi("sPass2Skip");
  isG(a);
  a.jumpi("sGTable");
  a.expr(sg("add($stage, mul(shr(7, sub(t, 0x80)), shl(7, $half)))"), "sgj");
  a.expr(sg("add($pre, mul(shr(7, sub(t, 0x80)), shl(5, $half)))"), "prj");
  a.expr(sg("$half"), "k");
  a.label("sAffine");
  a.assign("k", "sub(k, 1)");
  a.expr("add(sgj, shl(7, k))", "e"); // staged multiple k (XYZZ)
  a.expr("mulmod(inv, mload(add(prj, shl(5, k))), P)", "izzz"); // 1/ZZZ_k = inv · pre[k]
  a.assign("inv", "mulmod(inv, mload(add(e, 0x60)), P)"); // inv = 1 / (product before multiple k)
  a.expr("mulmod(mload(add(e, 0x40)), izzz, P)", "iz"); // ZZ/ZZZ = 1/Z (ZZ^3 = ZZZ^2)
  a.expr("mulmod(mload(e), mulmod(iz, iz, P), P)", "x"); // x = X·(1/Z)^2 = X/ZZ
  a.expr("mulmod(mload(add(e, 0x20)), izzz, P)", "y"); // y = Y/ZZZ
  writeMirrored(a);
  a.pop("iz");
  a.pop("izzz");
  a.pop("e");
  a.dup("k", "more");
  a.jumpi("sAffine");
  a.pop("k");
  a.pop("prj");
  a.pop("sgj");
  a.jump("sPass2Skip");
  // ±G: copy (2k+1)·G, k < half, to the positive entries, negate them for -G, mirror
  a.label("sGTable");
  a.expr(sg("shl(6, $half)"), "len");
  a.pushLabel("gOddMultiples", "from");
  a.dup("pos0", "to");
  a.op("CODECOPY", null, "(2k+1)·G for k < half");
  a.expr(`eq(calldataload(add(t, ${TERM_Y})), sub(P, GY))`, "negG");
  a.expr(sg("$half"), "k");
  a.label("sGEntry");
  a.assign("k", "sub(k, 1)");
  a.expr("mload(add(pos0, shl(6, k)))", "x");
  a.expr("mload(add(add(pos0, shl(6, k)), 0x20))", "y");
  a.assign("y", "xor(y, mul(negG, xor(y, sub(P, y))))"); // -G: y -> p - y
  writeMirrored(a);
  a.dup("k", "more");
  a.jumpi("sGEntry");
  a.pop("k");
  a.pop("negG");
  a.label("sPass2Skip");
  a.pop("pos0");
  a.pop("rec");
  a.jump("sPass2");
  a.label("sPass2Done");
  a.pop("t");
  a.pop("inv");

  // -------- pass 3: the second term of each pair, ±phi(Q): entry e = (beta·x_e, ±y_e) of the partner's entry e
  a.push(TERMS + 0x80, "t");
  a.label("sPhi");
  a.expr("lt(t, pairsEnd)", "more");
  a.expr("iszero(more!)", "done");
  a.jumpi("sPhiDone");
  a.expr(sg("add(0x220, mul(shr(7, sub(t, 0x80)), $rsize))"), "dst"); // entry 0 of this term
  a.expr(sg("sub(dst, $rsize)"), "src"); // entry 0 of the partner
  a.expr(`iszero(eq(calldataload(add(t, ${TERM_Y})), calldataload(sub(t, 0x60))))`, "neg"); // -phi(Q): y differs
  a.expr("shl(add(c, 6), 1)", "n64"); // 2^c entries of 64 bytes
  a.label("sPhiEntry");
  a.assign("n64", "sub(n64, 0x40)");
  a.expr("mulmod(BETA, mload(add(src, n64)), P)", "v"); // x' = beta·x
  a.expr("add(dst, n64)", "at");
  a.op("MSTORE", null, "phi entry x");
  a.expr("mload(add(add(src, n64), 0x20))", "y");
  a.assign("y", "xor(y, mul(neg, xor(y, sub(P, y))))"); // -phi(Q): y -> p - y
  a.expr("add(add(dst, n64), 0x20)", "at");
  a.op("MSTORE", null, "phi entry y", ["at", "y"]);
  a.dup("n64", "more");
  a.jumpi("sPhiEntry");
  a.pop("n64");
  a.pop("neg");
  a.pop("src");
  a.pop("dst");
  a.assign("t", "add(0x100, t)");
  a.jump("sPhi");
  a.label("sPhiDone");
  a.pop("t");

  // -------- main loop: acc = T; for w = W-1 .. 0: acc = 2^c·acc (not before the first), acc += entry(e_{j,w}) for all j
  a.expr(sg("$windows"), "w");
  a.expr(sg("$maskD"), "maskD");
  a.expr(sg("$rsize"), "rsize");
  a.expr("add(0x200, mul(shr(7, sub(tEnd, 0x80)), rsize))", "recEnd");
  pushAffine(a, "TX", "TY");
  a.label("sWindow");
  a.assign("w", "sub(w, 1)");
  a.expr("mul(c, w)", "shift");
  a.push(0x200, "rec");
  a.expr("lt(rec, recEnd)", "any");
  a.expr("iszero(any!)", "none");
  a.jumpi("strausTermNext");
  a.label("strausTerm");
  a.expr("add(add(rec, 0x20), and(shr(shift, mload(rec)), maskD))", "entry"); // entry e_{j,w} of term j
  maddOnStack(a, () => a.expr("mload(entry)", "x2"), () => a.expr("mload(add(entry, 0x20))", "y2"));
  a.pop("entry");
  a.expr("add(rsize, rec!)", "rec");
  a.label("strausTermNext");
  a.expr("lt(rec, recEnd)", "more");
  a.jumpi("strausTerm");
  a.pop("rec");
  a.pop("shift");
  a.expr("iszero(w)", "last");
  a.jumpi("sWindowsDone");
  doubleOnStack(a, "c");
  a.jump("sWindow");
  a.label("sWindowsDone");
  // -------- even scalars were used as s + 1: acc -= Q_j for them
  a.push(TERMS, "t");
  a.label("sParity");
  a.expr("lt(t, tEnd)", "more");
  a.expr("iszero(more!)", "done");
  a.jumpi("sParityDone");
  a.expr(sg(`and(sub(shr(6, calldataload(add(t, ${TERM_U}))), $hc), 1)`), "odd");
  a.jumpi("sParityNext");
  maddOnStack(a, () => a.expr(`calldataload(add(t, ${TERM_X}))`, "x2"), () => a.expr("calldataload(add(t, 0x40))", "y2")); // + (x, p - y)
  a.label("sParityNext");
  a.expr("add(0x80, t!)", "t");
  a.jump("sParity");
  a.label("sParityDone");
  a.pop("t");
  storePoint(a, 0); // ACC at memory 0
  for (const n of ["recEnd", "rsize", "maskD", "w"]) a.drop(n);
  a.push(0, "acc");
}

/** Jumps to `target` when term t needs no built table: the second of a pair (phi) or ±G. Stack unchanged. */
function skipUnbuilt(a: Assembler, target: string): void {
  a.expr("and(lt(t, pairsEnd), and(shr(7, sub(t, 0x80)), 1))", "partner");
  a.jumpi(target);
  isG(a);
  a.jumpi(target);
}

/** Pushes isG = (term t is G or -G): x == G.x and y == ±G.y. */
function isG(a: Assembler): void {
  a.expr(`calldataload(add(t, ${TERM_Y}))`, "ty");
  a.expr("and(eq(calldataload(t), GX), or(eq(ty, GY), eq(ty, sub(P, GY))))", "isG"); // -G = (G.x, p - G.y)
  a.drop("ty");
}

/** Pushes the affine point (x, y) as XYZZ [x1 y1 zz1 zzz1] = (x, y, 1, 1). */
function pushAffine(a: Assembler, x: string, y: string): void {
  a.push(1, "zzz1");
  a.push(1, "zz1");
  a.expr(y, "y1");
  a.expr(x, "x1");
}

/** Writes (x, y) to entry k + half (at pos0 + 64k) and (x, p - y) to entry half - 1 - k (pos0 - 64(k + 1)); pops x, y. */
function writeMirrored(a: Assembler): void {
  a.expect(["y", "x"]);
  a.dup("x", "v");
  a.expr("add(pos0, shl(6, k))", "at");
  a.op("MSTORE", null, "entry half + k: x");
  a.dup("y", "v");
  a.expr("add(add(pos0, shl(6, k)), 0x20)", "at");
  a.op("MSTORE", null, "entry half + k: y");
  a.expr("sub(P, y!)", "ny"); // -y
  a.expr("add(sub(pos0, shl(6, add(k, 1))), 0x20)", "at");
  a.op("MSTORE", null, "entry half - 1 - k: p - y", ["at", "ny"]);
  a.expr("sub(pos0, shl(6, add(k, 1)))", "at");
  a.op("MSTORE", null, "entry half - 1 - k: x", ["at", "x"]);
}

/** Writes [x1 y1 zz1 zzz1] to memory at slot `at` and keeps it on the stack. */
function storePointKeep(a: Assembler, at: string): void {
  for (const [n, off] of [["x1", 0], ["y1", 0x20], ["zz1", 0x40], ["zzz1", 0x60]] as const) {
    a.dup(n, "v");
    a.expr(`add(${at}, ${off})`, "a");
    a.op("MSTORE", null, n);
  }
}

// ====================================================================== exact subroutines (every case handled)

/** Stores four words (expressions) at the address in slot `at`. */
function storeWords(a: Assembler, at: string, words: [string, string, string, string]): void {
  words.forEach((word, i) => {
    a.expr(word, "v");
    a.expr(`add(${at}, ${0x20 * i})`, "a");
    a.op("MSTORE", null, `${at}[${i}] = ${word}`);
  });
}

/** Pops everything above the return address and returns (optionally with the value in slot `result`). */
function ret(a: Assembler, result?: string): void {
  if (result) {
    a.swap(result);
    while (a.depth() > 2) {
      a.swapN(1);
      a.pop();
    }
    a.swapN(1);
  } else while (a.depth() > 1) a.pop();
  a.jumpTo("ret");
}

function exactRoutines(a: Assembler): void {
  // xmadd(A, x2, y2): A = A + (x2, y2), madd-2008-s with every case: A = O, A = (x2, y2), A = -(x2, y2)
  a.subroutine("xmadd", ["A", "x2", "y2", "ret"]);
  a.expr("mload(add(A, 0x40))", "zz1");
  a.expr("iszero(zz1)", "isO");
  a.jumpi("xmaddFromO");
  a.expr("mload(add(A, 0x60))", "zzz1");
  a.expr("mload(A)", "x1");
  a.expr("mload(add(A, 0x20))", "y1");
  a.expr("addmod(mulmod(x2, zz1, P), sub(P, x1), P)", "h"); // H = U2 - X1, U2 = X2·ZZ1
  a.expr("addmod(mulmod(y2, zzz1, P), sub(P, y1), P)", "r"); // R = S2 - Y1, S2 = Y2·ZZZ1
  a.expr("iszero(h)", "sameX");
  a.jumpi("xmaddSameX");
  a.expr("mulmod(h, h, P)", "pp"); // PP = H^2
  a.expr("mulmod(h, pp, P)", "ppp"); // PPP = H·PP
  a.expr("mulmod(x1, pp, P)", "q"); // Q = X1·PP
  a.expr("addmod(mulmod(r, r, P), sub(P, addmod(addmod(q, q, P), ppp, P)), P)", "x3"); // X3 = R^2 - PPP - 2·Q
  storeWords(a, "A", [
    "x3",
    "addmod(mulmod(r, addmod(q, sub(P, x3), P), P), sub(P, mulmod(y1, ppp, P)), P)", // Y3 = R·(Q - X3) - Y1·PPP
    "mulmod(zz1, pp, P)", // ZZ3 = ZZ1·PP
    "mulmod(zzz1, ppp, P)", // ZZZ3 = ZZZ1·PPP
  ]);
  ret(a);
  a.label("xmaddSameX");
  a.expr("iszero(r)", "same");
  a.jumpi("xmaddDouble");
  storeWords(a, "A", ["0", "0", "0", "0"]); // A = -(x2, y2): the sum is O
  ret(a);
  a.label("xmaddDouble");
  storeWords(a, "A", ["x2", "y2", "1", "1"]); // A = (x2, y2): the sum is 2·(x2, y2)
  a.callSub("xdbl", () => a.dup("A"));
  ret(a);
  a.label("xmaddFromO");
  storeWords(a, "A", ["x2", "y2", "1", "1"]); // O + Q = Q
  ret(a);

  // xadd(A, B): A = A + B (both XYZZ in memory, A != B), add-2008-s with every case
  a.subroutine("xadd", ["A", "B", "ret"]);
  a.expr("mload(add(B, 0x40))", "zz2");
  a.expr("iszero(zz2)", "isO");
  a.jumpi("xaddDone"); // A + O = A
  a.expr("mload(add(A, 0x40))", "zz1");
  a.expr("iszero(zz1)", "isO");
  a.jumpi("xaddCopy"); // O + B = B
  a.expr("mload(add(A, 0x60))", "zzz1");
  a.expr("mload(add(B, 0x60))", "zzz2");
  a.expr("mulmod(mload(A), zz2, P)", "u1"); // U1 = X1·ZZ2
  a.expr("mulmod(mload(add(A, 0x20)), zzz2, P)", "s1"); // S1 = Y1·ZZZ2
  a.expr("addmod(mulmod(mload(B), zz1, P), sub(P, u1), P)", "h"); // H = U2 - U1, U2 = X2·ZZ1
  a.expr("addmod(mulmod(mload(add(B, 0x20)), zzz1, P), sub(P, s1), P)", "r"); // R = S2 - S1, S2 = Y2·ZZZ1
  a.expr("iszero(h)", "sameX");
  a.jumpi("xaddSameX");
  a.expr("mulmod(h, h, P)", "pp"); // PP = H^2
  a.expr("mulmod(h, pp, P)", "ppp"); // PPP = H·PP
  a.expr("mulmod(u1, pp, P)", "q"); // Q = U1·PP
  a.expr("addmod(mulmod(r, r, P), sub(P, addmod(addmod(q, q, P), ppp, P)), P)", "x3"); // X3 = R^2 - PPP - 2·Q
  storeWords(a, "A", [
    "x3",
    "addmod(mulmod(r, addmod(q, sub(P, x3), P), P), sub(P, mulmod(s1, ppp, P)), P)", // Y3 = R·(Q - X3) - S1·PPP
    "mulmod(mulmod(zz1, zz2, P), pp, P)", // ZZ3 = ZZ1·ZZ2·PP
    "mulmod(mulmod(zzz1, zzz2, P), ppp, P)", // ZZZ3 = ZZZ1·ZZZ2·PPP
  ]);
  ret(a);
  a.label("xaddSameX");
  a.expr("iszero(r)", "same");
  a.jumpi("xaddDouble");
  storeWords(a, "A", ["0", "0", "0", "0"]); // B = -A: O
  ret(a);
  a.label("xaddDouble");
  a.callSub("xdbl", () => a.dup("A")); // B = A: 2·A
  ret(a);
  a.label("xaddCopy");
  a.push(0x80, "len");
  a.dup("B", "from");
  a.dup("A", "to");
  a.op("MCOPY", null, "A = B");
  ret(a);
  a.label("xaddDone");
  ret(a);

  // xdbl(A): A = 2·A, dbl-2008-s-1 (O stays O)
  a.subroutine("xdbl", ["A", "ret"]);
  a.expr("mload(add(A, 0x60))", "zzz1");
  a.expr("mload(add(A, 0x40))", "zz1");
  a.expr("mload(add(A, 0x20))", "y1");
  a.expr("mload(A)", "x1");
  doubleOnStack(a, 1);
  storePoint(a, "A");
  ret(a);

  // sqn(x, k): x^(2^k), k >= 1 squarings; four per iteration while k >= 4, each in place on the stack
  a.subroutine("sqn", ["x", "k", "ret"]);
  const square = () => {
    a.expect(["x"]);
    a.dupN(1, "x");
    a.push("P", "P");
    a.swapN(2);
    a.op("MULMOD", "x", "x = x^2", ["x", "x", "P"]);
  };
  a.swapN(1); // [k x ret]
  a.label("sqnFour");
  a.expr("lt(k, 4)", "few");
  a.jumpi("sqnOne");
  a.expr(`add(${(1n << 256n) - 4n}, k!)`, "k"); // k - 4
  a.swapN(1);
  for (let i = 0; i < 4; i++) square();
  a.swapN(1);
  a.jump("sqnFour");
  a.label("sqnOne");
  a.dup("k", "more");
  a.expr("iszero(more!)", "none");
  a.jumpi("sqnDone");
  a.expr(`add(${(1n << 256n) - 1n}, k!)`, "k"); // k - 1
  a.swapN(1);
  square();
  a.swapN(1);
  a.jump("sqnOne");
  a.label("sqnDone");
  a.pop("k");
  a.swapN(1);
  a.jumpTo("ret");

  // invP(x): x^(p-2) = 1/x for x != 0 (Fermat), libsecp256k1's addition chain: p - 2 has blocks of ones of lengths
  // 223, 22, 2, 1 (and single ones), built from x^(2^m - 1) for m = 2, 3, 6, 9, 11, 22, 44, 88, 176, 220, 223:
  // 255 squarings and 15 multiplications
  a.subroutine("invP", ["x", "ret"]);
  const sq = (from: string, k: number, times: string, out: string, comment: string) => {
    a.callSub("sqn", () => {
      a.push(k, "k");
      a.dup(from, "x");
    }, `${from}^(2^${k})`, ["sq"]);
    a.expr(`mulmod(${times}, sq, P)`, out, comment);
    a.drop("sq");
  };
  a.expr("mulmod(mulmod(x, x, P), x, P)", "x2"); // x^(2^2 - 1)
  a.expr("mulmod(mulmod(x2, x2, P), x, P)", "x3"); // x^(2^3 - 1)
  sq("x3", 3, "x3", "x6", "x^(2^6 - 1)");
  sq("x6", 3, "x3", "x9", "x^(2^9 - 1)");
  a.drop("x6");
  sq("x9", 2, "x2", "x11", "x^(2^11 - 1)");
  a.drop("x9");
  sq("x11", 11, "x11", "x22", "x^(2^22 - 1)");
  a.drop("x11");
  sq("x22", 22, "x22", "x44", "x^(2^44 - 1)");
  sq("x44", 44, "x44", "x88", "x^(2^88 - 1)");
  sq("x88", 88, "x88", "x176", "x^(2^176 - 1)");
  a.drop("x88");
  sq("x176", 44, "x44", "x220", "x^(2^220 - 1)");
  a.drop("x176");
  a.drop("x44");
  sq("x220", 3, "x3", "x223", "x^(2^223 - 1)");
  a.drop("x220");
  a.drop("x3");
  sq("x223", 23, "x22", "r1", "223 ones, 1 zero, 22 ones");
  a.drop("x223");
  a.drop("x22");
  sq("r1", 5, "x", "r2", "... 0000 1");
  sq("r2", 3, "x2", "r3", "... 0 11");
  sq("r3", 2, "x", "r", "... 0 1: x^(p-2)");
  ret(a, "r");

  a.label("notOnCurve");
  revertWith(a, ERRORS.notOnCurve, []);
}

// ====================================================================== exact Pippenger (the fallback)

/**
 * In: [c tEnd pairsEnd]. Out: [acc c tEnd pairsEnd]. The same signed-digit Pippenger as fastPippenger, with every
 * addition through the exact subroutines and accumulators starting at O: correct for every input, and slow.
 * Reached only when the fast result shows an exceptional addition.
 */
function checkedPippenger(a: Assembler): void {
  a.expr("shl(add(c, 6), 1)", "ws"); // 64·2^c: end of the LUT
  lut(a);
  storeWords(a, "ws", ["0", "0", "0", "0"]); // ACC = O
  a.expr("div(add(c, 127), c)", "windows"); // W = ceil(128 / c)
  a.expr("add(mul(c, windows), 6)", "topBit");
  a.push(TERMS, "t");
  a.label("cTopLoop");
  a.expr("lt(t, tEnd)", "more");
  a.expr("iszero(more!)", "done");
  a.jumpi("cTopDone");
  a.expr(`and(shr(topBit, calldataload(add(t, ${TERM_U}))), 1)`, "set");
  a.expr("iszero(set!)", "clear");
  a.jumpi("cTopNext");
  a.callSub("xmadd", () => {
    a.expr(`calldataload(add(t, ${TERM_Y}))`, "y2");
    a.expr("calldataload(t)", "x2");
    a.dup("ws", "A");
  });
  a.label("cTopNext");
  a.expr("add(0x80, t!)", "t");
  a.jump("cTopLoop");
  a.label("cTopDone");
  a.pop("t");
  a.pop("topBit");
  a.expr("shl(6, sub(shl(c, 1), 1))", "maskD");
  a.expr("add(ws, 0x200)", "buckets");
  a.expr("add(add(buckets, shl(add(c, 6), 1)), 0x80)", "bucketsEnd"); // after bucket 2^(c-1)
  a.label("cWindowLoop");
  a.expr("iszero(windows)", "done");
  a.jumpi("cWindowsDone");
  a.assign("windows", "sub(windows, 1)");
  a.dup("c", "k");
  a.label("cDouble");
  a.callSub("xdbl", () => a.dup("ws", "A"));
  a.assign("k", "sub(k, 1)");
  a.dup("k", "more");
  a.jumpi("cDouble");
  a.pop("k");
  a.expr("add(buckets, 0x80)", "b");
  a.label("cReset");
  storeWords(a, "b", ["0", "0", "0", "0"]);
  a.expr("add(0x80, b!)", "b");
  a.expr("lt(b, bucketsEnd)", "more");
  a.jumpi("cReset");
  a.pop("b");
  a.push(TERMS, "t");
  a.label("cFill");
  a.expr("lt(t, tEnd)", "more");
  a.expr("iszero(more!)", "done");
  a.jumpi("cFillDone");
  a.expr(`and(shr(mul(c, windows), calldataload(add(t, ${TERM_U}))), maskD)`, "D");
  a.expr("eq(mload(D), buckets)", "zeroDigit");
  a.jumpi("cFillNext");
  a.callSub("xmadd", () => {
    a.expr("calldataload(add(t, mload(add(D, 0x20))))", "y2");
    a.expr("calldataload(t)", "x2");
    a.expr("mload(D)", "A");
  });
  a.label("cFillNext");
  a.pop("D");
  a.expr("add(0x80, t!)", "t");
  a.jump("cFill");
  a.label("cFillDone");
  a.pop("t");
  // WIN = sum_k k·bucket[k] through the running sum RUN
  a.expr("add(ws, 0x100)", "run");
  storeWords(a, "run", ["0", "0", "0", "0"]);
  a.expr("add(ws, 0x80)", "win");
  storeWords(a, "win", ["0", "0", "0", "0"]);
  a.expr("sub(bucketsEnd, 0x80)", "b"); // bucket 2^(c-1)
  a.label("cAgg");
  a.callSub("xadd", () => {
    a.dup("b", "B");
    a.dup("run", "A");
  }, "RUN += bucket[k]");
  a.callSub("xadd", () => {
    a.dup("run", "B");
    a.dup("win", "A");
  }, "WIN += RUN");
  a.expr("sub(b, 0x80)", "next");
  a.swapN(1);
  a.pop("b");
  a.name("b");
  a.expr("gt(b, buckets)", "more"); // bucket 0 (digit 0) is not summed
  a.jumpi("cAgg");
  a.pop("b");
  a.callSub("xadd", () => {
    a.dup("win", "B");
    a.dup("ws", "A");
  }, "ACC += WIN");
  a.pop("win");
  a.pop("run");
  a.jump("cWindowLoop");
  a.label("cWindowsDone");
  a.pop("bucketsEnd");
  a.pop("buckets");
  a.pop("maskD");
  a.pop("windows");
  a.rename("ws", "acc");
}

/**
 * Creation code: CODECOPY the runtime to memory 0, write CALLER (the creating RingVerifier or harness) over the
 * runtime's first PUSH32 immediate (bytes 1..32, the address right-aligned), RETURN the runtime.
 */
function initcodeFor(runtime: Uint8Array): Uint8Array {
  const len = runtime.length;
  const header = [
    0x61, len >> 8, len & 0xff, //   PUSH2 len
    0x80, //                         DUP1            (len for RETURN)
    0x61, 0x00, 0x0f, //             PUSH2 15        (runtime offset: this header is 15 bytes)
    0x5f, //                         PUSH0           (memory destination 0)
    0x39, //                         CODECOPY        memory[0..len) = runtime
    0x33, //                         CALLER
    0x60, 0x01, //                   PUSH1 1
    0x52, //                         MSTORE          memory[1..33) = caller, right-aligned: the PUSH32 immediate
    0x5f, //                         PUSH0
    0xf3, //                         RETURN          runtime with the creator written in
  ];
  if (header.length !== 15) throw new Error("initcode header length");
  const out = new Uint8Array(header.length + len);
  out.set(header, 0);
  out.set(runtime, header.length);
  return out;
}
