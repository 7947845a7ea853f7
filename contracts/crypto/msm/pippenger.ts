/**
 * The MSM core's fast Pippenger (signed-digit buckets), called from core.ts; the exact version is in exact.ts.
 */
import type { Assembler } from "./asm";
import { MEM_BUCKETS, MEM_WIN, POINT_BYTES, POINT_SHIFT, TERMS, TERM_BYTES, TERM_U, TERM_X, TERM_Y } from "./layout";
import { topBitPass } from "./loops";
import { addMemoryToStack, addStackToMemory, doubleOnStack, maddToMemory, pushAffine, storePoint, storeWords } from "./points";

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
export function fastPippenger(a: Assembler): void {
  a.expr("shl(add(c, 6), 1)", "ws"); // 64·2^c: end of the LUT
  lut(a);
  storeWords(a, "ws", ["TX", "TY", "1", "1"]); // ACC = T
  // top bit of every term: ACC += Q_j when bit c·W of s + H is set (its digit is 0 or 1)
  a.expr("div(add(c, 127), c)", "windows"); // W = ceil(128 / c)
  topBitPass(a, "topLoop", () => {
    a.dup("ws", "b");
    maddToMemory(
      a,
      () => a.expr(`calldataload(add(t, ${TERM_X}))`, "x2"),
      () => a.expr(`calldataload(add(t, ${TERM_Y}))`, "y2"),
    );
  });
  // windows W-1 .. 0
  a.expr("shl(6, sub(shl(c, 1), 1))", "maskD"); // (2^c - 1)·64
  a.expr(`add(ws, ${MEM_BUCKETS})`, "buckets");
  a.expr("add(buckets, shl(add(c, 6), 1))", "bucketsEnd"); // buckets 0 .. 2^(c-1) end at buckets + POINT_BYTES·(2^(c-1) + 1)
  a.expr(`add(${POINT_BYTES}, bucketsEnd!)`, "bucketsEnd"); // = buckets + 64·2^c + POINT_BYTES
  a.label("windowLoop");
  a.expr("iszero(windows)", "done");
  a.jumpi("windowsDone");
  a.assign("windows", "sub(windows, 1)");
  // buckets 1..2^(c-1) = T: T into bucket 1, then doubling copies (1 -> 2 -> 4 .. buckets)
  a.expr(`add(buckets, ${POINT_BYTES})`, "b");
  storeWords(a, "b", ["TX", "TY", "1", "1"]);
  a.expr("sub(bucketsEnd, b)", "total"); // 128·2^(c-1) bytes
  a.push(POINT_BYTES, "done");
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
  a.expr(`sub(tEnd, and(sub(tEnd, ${TERMS}), ${TERM_BYTES}))`, "pairEnd"); // after the last whole pair of terms
  a.swapN(1); // [t pairEnd tEnd shift maskD ...]
  const fillOne = () => {
    a.expr(`and(shr(shift, calldataload(add(t, ${TERM_U}))), maskD)`, "D"); // 64·d', the LUT entry
    a.expr("mload(D)", "b"); // bucket |d' - 2^(c-1)|
    maddToMemory(
      a,
      () => a.expr(`calldataload(t)`, "x2"),
      () => a.expr("calldataload(add(t, mload(add(D, 0x20))))", "y2"),
    ); // y or p - y by sign
    a.pop("D");
    a.swap("t");
    a.expr(`add(${TERM_BYTES}, t!)`, "t");
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
  a.expr(`sub(bucketsEnd, ${POINT_BYTES})`, "b"); // bucket 2^(c-1)
  a.expr(`add(ws, ${MEM_WIN})`, "win");
  storeWords(a, "win", ["VX", "VY", "1", "1"]); // WIN = V
  pushAffine(a, "UX", "UY"); // run = U
  aggregateStep(a); // run = U + bucket[half], WIN += run
  a.label("aggLoop");
  a.assign("b", `sub(b, ${POINT_BYTES})`);
  a.expr("eq(b, buckets)", "done");
  a.jumpi("aggDone");
  aggregateStep(a); // run += bucket[k], WIN += run
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

/** LUT for window c at memory 0: entry d' = [bucket address of |d' - 2^(c-1)|, 0x20 (d' >= half: y) or 0x40 (ny)]. */
export function lut(a: Assembler): void {
  a.expr("shl(sub(c, 1), 1)", "half");
  a.push(0, "d");
  const loop = a.unique("lutLoop");
  a.label(loop);
  // k = |d - half|: d >= half ? d - half : half - d
  a.expr("lt(d, half)", "neg");
  a.expr(`add(add(ws, ${MEM_BUCKETS}), shl(${POINT_SHIFT}, xor(sub(d, half), mul(neg, xor(sub(d, half), sub(half, d))))))`, "bucket"); // ws + MEM_BUCKETS + POINT_BYTES·k
  a.expr("shl(6, d)", "at");
  a.op("MSTORE", null, "LUT[d].bucket");
  a.expr(`add(${TERM_Y}, shl(5, neg!))`, "yoff"); // TERM_Y or TERM_NY = TERM_Y + 0x20
  a.expr("add(shl(6, d), 0x20)", "at");
  a.op("MSTORE", null, "LUT[d].yoff");
  a.expr("add(1, d!)", "d");
  a.expr("lt(d, shl(c, 1))", "more");
  a.jumpi(loop);
  a.pop("d");
  a.pop("half");
}

/** One step of the aggregation: run += bucket (at slot b), then WIN += run (run on the stack as x1 .. zzz1). */
function aggregateStep(a: Assembler): void {
  const RUN = ["rx", "ry", "rzz", "rzzz"];
  const POINT = ["x1", "y1", "zz1", "zzz1"];
  addMemoryToStack(a, "b");
  POINT.forEach((name, i) => a.rename(name, RUN[i]));
  addStackToMemory(a, "win");
  RUN.forEach((name, i) => a.rename(name, POINT[i]));
}
