/**
 * The fast paths' point operations of the MSM core (core.ts), inlined where they are used: formulas from the
 * Explicit-Formulas Database for a = 0 (madd-2008-s, add-2008-s, dbl-2008-s-1) without any branch, so an exceptional
 * case leaves ZZ = 0 (core.ts, file comment), and the small memory helpers they share. On the stack a point is four
 * slots, top first x1, y1, zz1, zzz1; in memory four words (layout.ts, POINT_BYTES).
 */
import type { Assembler } from "./asm";

/**
 * bucket += (x2, y2), madd-2008-s, no branch (fast path: an exceptional case leaves ZZ = 0, file comment).
 * In: [b, ...] with b the bucket's memory address; `loadX2` / `loadY2` push the affine operand's coordinates (they
 * may read slots below b). Out: b consumed, the bucket updated.
 */
export function maddToMemory(a: Assembler, loadX2: () => void, loadY2: () => void): void {
  const depth = a.depth() - 1;
  a.expr("mload(add(b, 0x60))", "zzz1"); // ZZZ1
  a.expr("sub(P, mload(add(b, 0x20)))", "ny1"); // -Y1 = p - Y1
  maddR(a, loadY2);
  a.expr("mload(add(b, 0x40))", "zz1"); // ZZ1
  a.expr("mload(b)", "x1"); // X1
  maddH(a, loadX2);
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

/** madd-2008-s' R = S2 - Y1 = Y2·ZZZ1 - Y1 from the slots ny1 (= p - Y1) and zzz1 (both kept); pushes r. */
function maddR(a: Assembler, loadY2: () => void): void {
  a.push("P", "P");
  a.dup("ny1");
  a.push("P", "P");
  a.dup("zzz1");
  loadY2();
  a.op("MULMOD", "s2", "S2 = Y2·ZZZ1", ["y2", "zzz1", "P"]);
  a.op("ADDMOD", "r", "R = S2 - Y1", ["s2", "ny1", "P"]);
}

/** madd-2008-s' H = U2 - X1 = X2·ZZ1 - X1 from the slots x1 and zz1 (both kept); pushes h. */
function maddH(a: Assembler, loadX2: () => void): void {
  a.push("P", "P");
  a.expr("sub(P, x1)", "nx1"); // -X1
  a.push("P", "P");
  a.dup("zz1");
  loadX2();
  a.op("MULMOD", "u2", "U2 = X2·ZZ1", ["x2", "zz1", "P"]);
  a.op("ADDMOD", "h", "H = U2 - X1", ["u2", "nx1", "P"]);
}

/**
 * Moves the results of an on-stack point operation into the point's slots: above `depth` are only temporaries and
 * the results; each result named in `into` is swapped into its slot (whose old value is popped), every other
 * temporary is popped. The point may sit anywhere within SWAP16 of the top.
 */
export function settle(a: Assembler, depth: number, into: Record<string, string>): void {
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
export function maddOnStack(a: Assembler, loadX2: () => void, loadY2: () => void): void {
  const depth = a.depth();
  a.expr("sub(P, y1)", "ny1"); // -Y1
  maddR(a, loadY2);
  maddH(a, loadX2);
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
export function addMemoryToStack(a: Assembler, bAddr: string): void {
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
export function addStackToMemory(a: Assembler, wAddr: string): void {
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
export function doubleOnStack(a: Assembler, times: string | number): void {
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

/** Writes [x1 y1 zz1 zzz1] (on top, consumed) to memory at the address in slot `at`, or at a fixed address. */
export function storePoint(a: Assembler, at: string | number): void {
  const address = (offset: number) =>
    typeof at === "number" ? a.push(at + offset, "a") : offset === 0 ? a.dup(at, "a") : a.expr(`add(${at}, ${offset})`, "a");
  (["x1", "y1", "zz1", "zzz1"] as const).forEach((n, i) => {
    address(0x20 * i);
    a.op("MSTORE", null, n, ["a", n]);
  });
}

/** Pushes the affine point (x, y) as XYZZ [x1 y1 zz1 zzz1] = (x, y, 1, 1). */
export function pushAffine(a: Assembler, x: string, y: string): void {
  a.push(1, "zzz1");
  a.push(1, "zz1");
  a.expr(y, "y1");
  a.expr(x, "x1");
}

/** Writes [x1 y1 zz1 zzz1] to memory at slot `at` and keeps it on the stack. */
export function storePointKeep(a: Assembler, at: string): void {
  for (const [n, off] of [
    ["x1", 0],
    ["y1", 0x20],
    ["zz1", 0x40],
    ["zzz1", 0x60],
  ] as const) {
    a.dup(n, "v");
    a.expr(`add(${at}, ${off})`, "a");
    a.op("MSTORE", null, n);
  }
}

/** Stores four words (expressions) at the address in slot `at`. */
export function storeWords(a: Assembler, at: string, words: [string, string, string, string]): void {
  words.forEach((word, i) => {
    a.expr(word, "v");
    a.expr(`add(${at}, ${0x20 * i})`, "a");
    a.op("MSTORE", null, `${at}[${i}] = ${word}`);
  });
}
