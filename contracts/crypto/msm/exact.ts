/**
 * The MSM core's exact code (every case handled, with branches): the subroutines xmadd, xadd, xdbl, sqn, invP and
 * the exact Pippenger that recomputes an exceptional input when the caller sets EXACT_FALLBACK (core.ts).
 */
import type { Assembler } from "./asm";
import { ERRORS, revertWith } from "./errors";
import { MEM_RUN, MEM_WIN, MEM_BUCKETS, POINT_BYTES, TERMS, TERM_BYTES, TERM_U, TERM_Y } from "./layout";
import { topBitPass } from "./loops";
import { lut } from "./pippenger";
import { doubleOnStack, storePoint, storeWords } from "./points";

/** Pops everything above the return address and returns (optionally with the value in slot `result`). */
export function ret(a: Assembler, result?: string): void {
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

/**
 * The common part of xmadd and xadd (add-2008-s; madd-2008-s is its case ZZ2 = ZZZ2 = 1): H = U2 - U1,
 * R = S2 - S1; jumps to `sameX` when H = 0 (equal or opposite points); otherwise A = (X3, Y3, ZZ3, ZZZ3) and
 * returns. The expressions name U2, S2, ZZ3 and ZZZ3 (the last two in terms of pp = H^2 and ppp = H^3).
 */
function exactSum(a: Assembler, v: { u1: string; s1: string; u2: string; s2: string; zz3: string; zzz3: string }, sameX: string): void {
  a.expr(`addmod(${v.u2}, sub(P, ${v.u1}), P)`, "h"); // H = U2 - U1
  a.expr(`addmod(${v.s2}, sub(P, ${v.s1}), P)`, "r"); // R = S2 - S1
  a.expr("iszero(h)", "isSameX");
  a.jumpi(sameX);
  a.expr("mulmod(h, h, P)", "pp"); // PP = H^2
  a.expr("mulmod(h, pp, P)", "ppp"); // PPP = H·PP
  a.expr(`mulmod(${v.u1}, pp, P)`, "q"); // Q = U1·PP
  a.expr("addmod(mulmod(r, r, P), sub(P, addmod(addmod(q, q, P), ppp, P)), P)", "x3"); // X3 = R^2 - PPP - 2·Q
  storeWords(a, "A", [
    "x3",
    `addmod(mulmod(r, addmod(q, sub(P, x3), P), P), sub(P, mulmod(${v.s1}, ppp, P)), P)`, // Y3 = R·(Q - X3) - S1·PPP
    v.zz3,
    v.zzz3,
  ]);
  ret(a);
}

export function exactRoutines(a: Assembler): void {
  // xmadd(A, x2, y2): A = A + (x2, y2), madd-2008-s with every case: A = O, A = (x2, y2), A = -(x2, y2)
  a.subroutine("xmadd", ["A", "x2", "y2", "ret"]);
  a.expr("mload(add(A, 0x40))", "zz1");
  a.expr("iszero(zz1)", "isO");
  a.jumpi("xmaddFromO");
  a.expr("mload(add(A, 0x60))", "zzz1");
  a.expr("mload(A)", "x1");
  a.expr("mload(add(A, 0x20))", "y1");
  // U1 = X1, S1 = Y1 (the affine operand has ZZ2 = ZZZ2 = 1)
  exactSum(
    a,
    { u1: "x1", s1: "y1", u2: "mulmod(x2, zz1, P)", s2: "mulmod(y2, zzz1, P)", zz3: "mulmod(zz1, pp, P)", zzz3: "mulmod(zzz1, ppp, P)" },
    "xmaddSameX",
  );
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
  exactSum(
    a,
    {
      u1: "u1",
      s1: "s1",
      u2: "mulmod(mload(B), zz1, P)",
      s2: "mulmod(mload(add(B, 0x20)), zzz1, P)",
      zz3: "mulmod(mulmod(zz1, zz2, P), pp, P)",
      zzz3: "mulmod(mulmod(zzz1, zzz2, P), ppp, P)",
    },
    "xaddSameX",
  );
  a.label("xaddSameX");
  a.expr("iszero(r)", "same");
  a.jumpi("xaddDouble");
  storeWords(a, "A", ["0", "0", "0", "0"]); // B = -A: O
  ret(a);
  a.label("xaddDouble");
  a.callSub("xdbl", () => a.dup("A")); // B = A: 2·A
  ret(a);
  a.label("xaddCopy");
  a.push(POINT_BYTES, "len");
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
    a.callSub(
      "sqn",
      () => {
        a.push(k, "k");
        a.dup(from, "x");
      },
      `${from}^(2^${k})`,
      ["sq"],
    );
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
export function checkedPippenger(a: Assembler): void {
  a.expr("shl(add(c, 6), 1)", "ws"); // 64·2^c: end of the LUT
  lut(a);
  storeWords(a, "ws", ["0", "0", "0", "0"]); // ACC = O
  a.expr("div(add(c, 127), c)", "windows"); // W = ceil(128 / c)
  topBitPass(a, "cTopLoop", () =>
    a.callSub("xmadd", () => {
      a.expr(`calldataload(add(t, ${TERM_Y}))`, "y2");
      a.expr("calldataload(t)", "x2");
      a.dup("ws", "A");
    }),
  );
  a.expr("shl(6, sub(shl(c, 1), 1))", "maskD");
  a.expr(`add(ws, ${MEM_BUCKETS})`, "buckets");
  a.expr(`add(add(buckets, shl(add(c, 6), 1)), ${POINT_BYTES})`, "bucketsEnd"); // after bucket 2^(c-1)
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
  a.expr(`add(buckets, ${POINT_BYTES})`, "b");
  a.label("cReset");
  storeWords(a, "b", ["0", "0", "0", "0"]);
  a.expr(`add(${POINT_BYTES}, b!)`, "b");
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
  a.expr(`add(${TERM_BYTES}, t!)`, "t");
  a.jump("cFill");
  a.label("cFillDone");
  a.pop("t");
  // WIN = sum_k k·bucket[k] through the running sum RUN
  a.expr(`add(ws, ${MEM_RUN})`, "run");
  storeWords(a, "run", ["0", "0", "0", "0"]);
  a.expr(`add(ws, ${MEM_WIN})`, "win");
  storeWords(a, "win", ["0", "0", "0", "0"]);
  a.expr(`sub(bucketsEnd, ${POINT_BYTES})`, "b"); // bucket 2^(c-1)
  a.label("cAgg");
  xadd(a, "run", "b", "RUN += bucket[k]");
  xadd(a, "win", "run", "WIN += RUN");
  a.expr(`sub(b, ${POINT_BYTES})`, "next");
  a.swapN(1);
  a.pop("b");
  a.name("b");
  a.expr("gt(b, buckets)", "more"); // bucket 0 (digit 0) is not summed
  a.jumpi("cAgg");
  a.pop("b");
  xadd(a, "ws", "win", "ACC += WIN");
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

/** Calls the exact subroutine xadd: the point at the address in slot `to` += the point at the address in slot `from`. */
function xadd(a: Assembler, to: string, from: string, comment: string): void {
  a.callSub(
    "xadd",
    () => {
      a.dup(from, "B");
      a.dup(to, "A");
    },
    comment,
  );
}
