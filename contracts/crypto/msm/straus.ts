/**
 * The MSM core's fast Straus (interleaved odd-digit windows, affine tables), called from core.ts.
 */
import type { Assembler } from "./asm";
import { forEachTerm } from "./loops";
import { POINT_SHIFT, STRAUS_RECORDS, STRAUS_SCRATCH, TERMS, TERM_BYTES, TERM_NY, TERM_U, TERM_X, TERM_Y, termIndex } from "./layout";
import { addMemoryToStack, doubleOnStack, maddOnStack, pushAffine, storePoint, storePointKeep } from "./points";

/** Straus' working values, kept in memory (0x100..0x1ff) outside the hot loop. */
const SG = { hc: 0x100, eOffset: 0x120, rsize: 0x140, half: 0x160, stage: 0x180, pre: 0x1a0, windows: 0x1c0, maskD: 0x1e0 };
/** `$name` in an expression reads Straus' working value `name`. */
const sg = (source: string) => source.replace(/\$(\w+)/g, (_, name: keyof typeof SG) => `mload(${SG[name]})`);

export function setWord(a: Assembler, at: number, source: string): void {
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
export function fastStraus(a: Assembler): void {
  setWord(a, SG.windows, "div(add(c, 128), c)"); // W = ceil(129 / c)
  setWord(a, SG.rsize, "add(0x20, shl(add(c, 6), 1))"); // record: E·64 and 2^c entries of 64 bytes
  setWord(a, SG.half, "shl(sub(c, 1), 1)"); // 2^(c-1) odd multiples per table
  setWord(a, SG.stage, sg(`add(${STRAUS_RECORDS}, mul(${termIndex("tEnd")}, $rsize))`)); // after nTerms records
  setWord(a, SG.pre, sg(`add($stage, mul(${termIndex("tEnd")}, shl(${POINT_SHIFT}, $half)))`)); // after the XYZZ multiples
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
  a.expr(sg(`add(${STRAUS_RECORDS}, mul(${termIndex("t")}, $rsize))`), "rec");
  a.expr(sg(`sub(shr(6, calldataload(add(t, ${TERM_U}))), $hc)`), "s"); // s = u/64 - H_c
  a.expr(sg("shl(6, shr(1, add($eOffset, or(1, s!))))"), "e64"); // E·64, E = ((s | 1) + 2^(cW) - 1) / 2
  a.dup("rec", "at");
  a.op("MSTORE", null, "record[0] = E·64", ["at", "e64"]);
  a.pop("rec");
  skipUnbuilt(a, "sPass1Next");
  a.expr(sg(`add($stage, mul(${termIndex("t")}, shl(${POINT_SHIFT}, $half)))`), "sgj"); // staged multiples of term j
  a.expr(sg(`add($pre, mul(${termIndex("t")}, shl(5, $half)))`), "prj"); // their prefix products
  // 2Q at 0x80 (dbl of (x, y, 1, 1))
  pushAffine(a, "calldataload(t)", `calldataload(add(t, ${TERM_Y}))`);
  doubleOnStack(a, 1);
  storePoint(a, STRAUS_SCRATCH);
  // M = Q = (x, y, 1, 1): multiple 0
  pushAffine(a, "calldataload(t)", `calldataload(add(t, ${TERM_Y}))`);
  a.push(0, "k");
  a.label("sMultiples");
  // staged[k] = M, pre[k] = prod, prod = prod·ZZZ(M)
  a.expr(`add(sgj, shl(${POINT_SHIFT}, k))`, "at");
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
  a.push(STRAUS_SCRATCH, "d2");
  addMemoryToStack(a, "d2"); // M = M + 2Q: the next odd multiple
  a.pop("d2");
  a.jump("sMultiples");
  a.label("sMultiplesDone");
  a.pop("k");
  for (const n of ["x1", "y1", "zz1", "zzz1"]) a.drop(n);
  a.pop("prj");
  a.pop("sgj");
  a.label("sPass1Next");
  a.assign("t", `add(${TERM_BYTES}, t)`);
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
  a.expr(`eq(t, ${TERMS})`, "done");
  a.jumpi("sPass2Done");
  a.assign("t", `sub(t, ${TERM_BYTES})`);
  a.expr(sg(`add(${STRAUS_RECORDS}, mul(${termIndex("t")}, $rsize))`), "rec");
  a.expr(sg("add(add(rec, 0x20), shl(6, $half))"), "pos0"); // entry half = 1·Q
  a.expr(`and(lt(t, pairsEnd), and(${termIndex("t")}, 1))`, "partner");
  a.jumpi("sPass2Skip");
  isG(a);
  a.jumpi("sGTable");
  a.expr(sg(`add($stage, mul(${termIndex("t")}, shl(${POINT_SHIFT}, $half)))`), "sgj");
  a.expr(sg(`add($pre, mul(${termIndex("t")}, shl(5, $half)))`), "prj");
  a.expr(sg("$half"), "k");
  a.label("sAffine");
  a.assign("k", "sub(k, 1)");
  a.expr(`add(sgj, shl(${POINT_SHIFT}, k))`, "e"); // staged multiple k (XYZZ)
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
  a.push(TERMS + TERM_BYTES, "t");
  a.label("sPhi");
  a.expr("lt(t, pairsEnd)", "more");
  a.expr("iszero(more!)", "done");
  a.jumpi("sPhiDone");
  a.expr(sg(`add(${STRAUS_RECORDS + 0x20}, mul(${termIndex("t")}, $rsize))`), "dst"); // entry 0 of this term
  a.expr(sg("sub(dst, $rsize)"), "src"); // entry 0 of the partner
  a.expr(`iszero(eq(calldataload(add(t, ${TERM_Y})), calldataload(sub(t, ${TERM_BYTES - TERM_Y}))))`, "neg"); // -phi(Q): y differs
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
  a.assign("t", `add(${2 * TERM_BYTES}, t)`);
  a.jump("sPhi");
  a.label("sPhiDone");
  a.pop("t");

  // -------- main loop: acc = T; for w = W-1 .. 0: acc = 2^c·acc (not before the first), acc += entry(e_{j,w}) for all j
  a.expr(sg("$windows"), "w");
  a.expr(sg("$maskD"), "maskD");
  a.expr(sg("$rsize"), "rsize");
  a.expr(`add(${STRAUS_RECORDS}, mul(${termIndex("tEnd")}, rsize))`, "recEnd");
  pushAffine(a, "TX", "TY");
  a.label("sWindow");
  a.assign("w", "sub(w, 1)");
  a.expr("mul(c, w)", "shift");
  a.push(STRAUS_RECORDS, "rec");
  a.expr("lt(rec, recEnd)", "any");
  a.expr("iszero(any!)", "none");
  a.jumpi("strausTermNext");
  a.label("strausTerm");
  a.expr("add(add(rec, 0x20), and(shr(shift, mload(rec)), maskD))", "entry"); // entry e_{j,w} of term j
  maddOnStack(
    a,
    () => a.expr("mload(entry)", "x2"),
    () => a.expr("mload(add(entry, 0x20))", "y2"),
  );
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
  forEachTerm(a, "sParity", () => {
    a.expr(sg(`and(sub(shr(6, calldataload(add(t, ${TERM_U}))), $hc), 1)`), "odd");
    a.jumpi("sParityNext");
    maddOnStack(
      a,
      () => a.expr(`calldataload(add(t, ${TERM_X}))`, "x2"),
      () => a.expr(`calldataload(add(t, ${TERM_NY}))`, "y2"),
    ); // + (x, p - y)
  });
  storePoint(a, 0); // ACC at memory 0
  for (const n of ["recEnd", "rsize", "maskD", "w"]) a.drop(n);
  a.push(0, "acc");
}

/** Jumps to `target` when term t needs no built table: the second of a pair (phi) or ±G. Stack unchanged. */
export function skipUnbuilt(a: Assembler, target: string): void {
  a.expr(`and(lt(t, pairsEnd), and(${termIndex("t")}, 1))`, "partner");
  a.jumpi(target);
  isG(a);
  a.jumpi(target);
}

/** Pushes isG = (term t is G or -G): x == G.x and y == ±G.y. */
export function isG(a: Assembler): void {
  a.expr(`calldataload(add(t, ${TERM_Y}))`, "ty");
  a.expr("and(eq(calldataload(t), GX), or(eq(ty, GY), eq(ty, sub(P, GY))))", "isG"); // -G = (G.x, p - G.y)
  a.drop("ty");
}

/** Writes (x, y) to entry k + half (at pos0 + 64k) and (x, p - y) to entry half - 1 - k (pos0 - 64(k + 1)); pops x, y. */
export function writeMirrored(a: Assembler): void {
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
