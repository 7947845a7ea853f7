/**
 * Loops over the MSM core's input terms (layout.ts), shared by the fast paths (pippenger.ts, straus.ts) and the exact
 * Pippenger (exact.ts).
 */
import type { Assembler } from "./asm";
import { TERMS, TERM_BYTES, TERM_U } from "./layout";

/**
 * for (t = TERMS; t < tEnd; t += TERM_BYTES) body(), with the labels `name` (the test), `${name}Next` (the step; the
 * body may jump there with the stack it started with) and `${name}Done`. The body sees the term's calldata offset in
 * slot t on top and must leave the stack as it found it.
 */
export function forEachTerm(a: Assembler, name: string, body: () => void): void {
  a.push(TERMS, "t");
  a.label(name);
  a.expr("lt(t, tEnd)", "more");
  a.expr("iszero(more!)", "done");
  a.jumpi(`${name}Done`);
  body();
  a.label(`${name}Next`);
  a.expr(`add(${TERM_BYTES}, t!)`, "t");
  a.jump(name);
  a.label(`${name}Done`);
  a.pop("t");
}

/**
 * Pippenger's top bit (bit c·W of s + H_c, whose signed digit is 0 or 1): `add()` adds term t to the accumulator for
 * every term that has it. Needs slots c, windows (W) and tEnd.
 */
export function topBitPass(a: Assembler, name: string, add: () => void): void {
  a.expr("add(mul(c, windows), 6)", "topBit"); // bit c·W of s + H, in u = (s + H)·64
  forEachTerm(a, name, () => {
    a.expr(`and(shr(topBit, calldataload(add(t, ${TERM_U}))), 1)`, "set");
    a.expr("iszero(set!)", "clear");
    a.jumpi(`${name}Next`);
    add();
  });
  a.pop("topBit");
}
