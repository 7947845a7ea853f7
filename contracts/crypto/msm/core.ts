/**
 * MultiScalarMulCore: the multi-scalar multiplication sum_j s_j·Q_j on secp256k1 (s_j < 2^128), written as
 * hand-scheduled EVM code with the assembler in ./asm.ts. RingVerifier creates one instance in its constructor
 * and reaches it by STATICCALL (contracts/crypto/MultiScalarMul.sol); it is an ordinary contract, not a
 * precompile, and it serves only its creator. The interface (calldata, return data, errors) is specified in
 * contracts/interfaces/IMultiScalarMulCore.sol; docs/verifier-gas.md has the measurements.
 *
 * This file is the entry (creator check, header, dispatch, the common end, the data tables) and the build; the code
 * is in pippenger.ts and straus.ts (fast paths), points.ts (their point operations), loops.ts (the loops over the
 * terms), exact.ts (exact subroutines and the exact Pippenger), errors.ts; the byte layout is named in layout.ts, the parameters and points in constants.ts
 * (build.ts writes the parameters into the generated Solidity file for MultiScalarMul.sol).
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
import { be32 } from "../../../src/hex";
import { concatBytes } from "../../../src/mrs1/curve";
import { Assembler } from "./asm";
import {
  BETA, EXACT_FALLBACK, EXCEPTIONAL_RESULT, GX, GY, OFFSET_T, OFFSET_U, OFFSET_V, P, PIPPENGER, PIPPENGER_WINDOWS, STRAUS,
  STRAUS_WINDOWS, checkOffsets, digitOffset, encodePoints, gOddMultiples, pippengerCorrection, strausCorrection,
} from "./constants";
import { ERRORS, revertWith } from "./errors";
import { checkedPippenger, exactRoutines } from "./exact";
import { HDR_ALGORITHM, HDR_PAIRS, HDR_TERMS, HDR_WINDOW, POINT_BYTES, TERMS, TERM_SHIFT } from "./layout";
import { fastPippenger } from "./pippenger";
import { fastStraus } from "./straus";

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
  a.expr(`or(or(gt(nTerms, 0xffff), iszero(eq(calldatasize(), add(${TERMS}, shl(${TERM_SHIFT}, nTerms))))), or(and(nPairs, 1), gt(nPairs, nTerms)))`, "bad");
  a.jumpi("malformed");
  a.expr(`add(${TERMS}, shl(${TERM_SHIFT}, nPairs!))`, "pairsEnd"); // calldata offset after the last pair term
  a.expr(`add(${TERMS}, shl(${TERM_SHIFT}, nTerms))`, "tEnd"); // calldata offset after the last term
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
  a.push(POINT_BYTES, "len");
  a.push(0, "from");
  a.op("RETURN", null, "return EXCEPTIONAL_RESULT (not O: the caller's sum == O check fails)");
  a.end();

  // ================================================================== exact fallback
  a.label("checkedEntry");
  a.pop("acc");
  checkedPippenger(a);
  // [acc c tEnd pairsEnd]
  a.expr("acc", "from");
  a.push(POINT_BYTES, "len");
  a.swapN(1);
  a.op("RETURN", null, "return X, Y, ZZ, ZZZ");
  a.end();

  // ================================================================== subroutines and data
  exactRoutines(a);
  a.data("pippengerCorrections", encodePoints(range(PIPPENGER_WINDOWS[0], PIPPENGER_WINDOWS[1]).map(pippengerCorrection)), "-(total T multiple)·T per window c, from c = 2");
  a.data("strausCorrections", encodePoints(range(STRAUS_WINDOWS[0], STRAUS_WINDOWS[1]).map(strausCorrection)), "-2^(c(W-1))·T per window c, from c = 2");
  a.data("digitOffsets", concatBytes(...range(2, 10).map((c) => be32(digitOffset(c)))), "H_c = sum_{w<W} 2^(c-1)·2^(c·w) per c, from c = 2");
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

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
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
  a.expr(`add(acc, ${POINT_BYTES})`, "to");
  a.op("CODECOPY", null, "correction point (x, y)");
  a.callSub("xmadd", () => {
    a.expr(`mload(add(acc, ${POINT_BYTES + 0x20}))`, "y2");
    a.expr(`mload(add(acc, ${POINT_BYTES}))`, "x2");
    a.dup("acc", "A");
  }, "acc += correction (exact: the sum is O for a valid batch)");
  a.expr("acc", "from");
  a.push(POINT_BYTES, "len");
  a.swapN(1);
  a.op("RETURN", null, "return X, Y, ZZ, ZZZ");
  a.end();
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
