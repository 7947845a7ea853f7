/**
 * A small EVM assembler with a symbolic stack, for hand-scheduled code (contracts/crypto/msm/core.ts).
 *
 * Every instruction is written explicitly, so the gas of a sequence is exactly what the listing says; the
 * assembler only checks the programmer. It tracks a name for every stack slot, so `dup("zz1")` emits the DUPn
 * that copies the topmost slot named zz1, `op("MULMOD", "u2", ["x2", "zz1", "P"])` checks that the three
 * consumed slots are the ones the formula means (top first), and a label checks that every jump to it arrives
 * with the same stack (the same slots in the same places). A DUP or SWAP that would reach below the 16th slot, a mismatched operand or an
 * inconsistent label is an error at build time, not a wrong result at run time.
 *
 * `expr` compiles a nested call expression (Yul-like: `addmod(mulmod(x2, zz1, P), sub(P, x1), P)`) for code
 * whose schedule does not matter; identifiers DUP their slot, `name!` consumes a slot that is on top, decimal
 * and hex literals and the named constants are PUSHed.
 */

interface Opcode {
  code: number;
  pops: number;
  pushes: number;
  gas: number; // static gas (memory expansion and copy costs come on top)
}

const OPS: Record<string, Opcode> = {};
function def(name: string, code: number, pops: number, pushes: number, gas: number) {
  OPS[name] = { code, pops, pushes, gas };
}
def("STOP", 0x00, 0, 0, 0);
def("ADD", 0x01, 2, 1, 3);
def("MUL", 0x02, 2, 1, 5);
def("SUB", 0x03, 2, 1, 3);
def("DIV", 0x04, 2, 1, 5);
def("MOD", 0x06, 2, 1, 5);
def("ADDMOD", 0x08, 3, 1, 8);
def("MULMOD", 0x09, 3, 1, 8);
def("LT", 0x10, 2, 1, 3);
def("GT", 0x11, 2, 1, 3);
def("EQ", 0x14, 2, 1, 3);
def("ISZERO", 0x15, 1, 1, 3);
def("AND", 0x16, 2, 1, 3);
def("OR", 0x17, 2, 1, 3);
def("XOR", 0x18, 2, 1, 3);
def("NOT", 0x19, 1, 1, 3);
def("SHL", 0x1b, 2, 1, 3);
def("SHR", 0x1c, 2, 1, 3);
def("CALLER", 0x33, 0, 1, 2);
def("CALLDATALOAD", 0x35, 1, 1, 3);
def("CALLDATASIZE", 0x36, 0, 1, 2);
def("CALLDATACOPY", 0x37, 3, 0, 3);
def("CODECOPY", 0x39, 3, 0, 3);
def("POP", 0x50, 1, 0, 2);
def("MLOAD", 0x51, 1, 1, 3);
def("MSTORE", 0x52, 2, 0, 3);
def("JUMP", 0x56, 1, 0, 8);
def("JUMPI", 0x57, 2, 0, 10);
def("JUMPDEST", 0x5b, 0, 0, 1);
def("MCOPY", 0x5e, 3, 0, 3);
def("PUSH0", 0x5f, 0, 1, 2);
def("RETURN", 0xf3, 2, 0, 0);
def("REVERT", 0xfd, 2, 0, 0);
def("INVALID", 0xfe, 0, 0, 0);

/** Yul-style lowercase names accepted by `expr`. */
// prettier-ignore
const EXPR_OPS: Record<string, string> = {
  add: "ADD",
  mul: "MUL",
  sub: "SUB",
  div: "DIV",
  mod: "MOD",
  addmod: "ADDMOD",
  mulmod: "MULMOD",
  lt: "LT",
  gt: "GT",
  eq: "EQ",
  iszero: "ISZERO",
  and: "AND",
  or: "OR",
  xor: "XOR",
  not: "NOT",
  shl: "SHL",
  shr: "SHR",
  calldataload: "CALLDATALOAD",
  mload: "MLOAD",
  calldatasize: "CALLDATASIZE",
  caller: "CALLER",
};

type Item =
  | { kind: "op"; name: string; code: number; imm?: bigint; immBytes?: number; label?: string; comment: string; stack: string }
  | { kind: "label"; label: string }
  | { kind: "data"; label: string; bytes: Uint8Array; comment: string };

export class AsmError extends Error {}

export class Assembler {
  private readonly items: Item[] = [];
  /** Symbolic stack, top = last element; null after an unconditional jump (unreachable until a label). */
  private stack: string[] | null = [];
  private readonly labelDepth = new Map<string, string[]>();
  private readonly defined = new Set<string>();
  private nextTemp = 0;

  constructor(private readonly constants: Record<string, bigint> = {}) {}

  // ------------------------------------------------------------------ stack bookkeeping

  /** The current symbolic stack, top first (for error messages and assertions). */
  view(): string[] {
    return [...this.live()].reverse();
  }

  depth(): number {
    return this.live().length;
  }

  private live(): string[] {
    if (this.stack === null) throw new AsmError("code after an unconditional jump needs a label first");
    return this.stack;
  }

  /** 1-based depth of the topmost slot called `name`. */
  private find(name: string): number {
    const s = this.live();
    for (let i = s.length - 1; i >= 0; i--) if (s[i] === name) return s.length - i;
    throw new AsmError(`no stack slot "${name}" (stack, top first: ${this.view().join(" ")})`);
  }

  /** Renames the top slot. */
  name(newName: string): void {
    const s = this.live();
    if (s.length === 0) throw new AsmError("rename of an empty stack");
    s[s.length - 1] = newName;
  }

  /** Renames the topmost slot called `from`. */
  rename(from: string, to: string): void {
    const s = this.live();
    s[s.length - this.find(from)] = to;
  }

  /** Asserts the top slots, top first. */
  expect(names: string[]): void {
    const top = this.view().slice(0, names.length);
    if (top.join(" ") !== names.join(" ")) throw new AsmError(`expected stack top ${names.join(" ")}, have ${this.view().join(" ")}`);
  }

  // ------------------------------------------------------------------ instructions

  private emitOp(name: string, comment: string, imm?: bigint, immBytes?: number, label?: string): void {
    const op =
      OPS[name] ??
      (name.startsWith("PUSH")
        ? { code: 0x5f + Number(name.slice(4)) }
        : name.startsWith("DUP")
          ? { code: 0x7f + Number(name.slice(3)) }
          : name.startsWith("SWAP")
            ? { code: 0x8f + Number(name.slice(4)) }
            : undefined);
    if (!op) throw new AsmError(`unknown opcode ${name}`);
    this.items.push({ kind: "op", name, code: op.code, imm, immBytes, label, comment, stack: this.stack ? this.view().join(" ") : "" });
  }

  /**
   * One instruction from the table: pops its operands (checked against `operands`, top first, when given) and
   * pushes `out` (a name, or null for instructions without a result).
   */
  op(name: string, out: string | null, comment = "", operands?: string[]): void {
    const op = OPS[name];
    if (!op) throw new AsmError(`unknown opcode ${name}`);
    const s = this.live();
    if (s.length < op.pops) throw new AsmError(`${name} needs ${op.pops} operands, stack has ${s.length}`);
    if (operands) {
      const got = s.slice(s.length - op.pops).reverse();
      if (got.join(" ") !== operands.join(" ")) throw new AsmError(`${name} (${comment}): operands ${got.join(" ")}, expected ${operands.join(" ")}`);
    }
    this.emitOp(name, comment);
    s.length -= op.pops;
    if (op.pushes === 1) s.push(out ?? `_t${this.nextTemp++}`);
    if (this.stack!.length > 1024) throw new AsmError("stack overflow");
  }

  /** PUSH of a literal or a named constant (the smallest PUSHn; PUSH0 for zero). */
  push(value: bigint | number | string, out: string, comment = ""): void {
    const v = typeof value === "string" ? this.constant(value) : BigInt(value);
    if (v < 0n || v >= 1n << 256n) throw new AsmError(`push of ${v} out of range`);
    if (v === 0n) {
      this.emitOp("PUSH0", comment);
    } else {
      const bytes = Math.ceil(v.toString(16).length / 2);
      this.emitOp(`PUSH${bytes}`, comment, v, bytes);
    }
    this.live().push(out);
  }

  /** PUSH32 with a fixed 32-byte immediate (the deployer patches it: `patchOffset`). */
  push32(value: bigint, out: string, comment = ""): void {
    this.emitOp("PUSH32", comment, value, 32);
    this.live().push(out);
  }

  /** PUSH2 of a label's code offset. */
  pushLabel(label: string, out: string, comment = ""): void {
    this.emitOp("PUSH2", comment, undefined, 2, label);
    this.live().push(out);
  }

  private constant(name: string): bigint {
    const v = this.constants[name];
    if (v === undefined) throw new AsmError(`unknown constant ${name}`);
    return v;
  }

  /** DUPn of the topmost slot called `name`; the copy is called `as` (default: the same name). */
  dup(name: string, as?: string, comment = ""): void {
    const d = this.find(name);
    if (d > 16) throw new AsmError(`DUP of "${name}" at depth ${d} (stack: ${this.view().join(" ")})`);
    this.emitOp(`DUP${d}`, comment || `copy ${name}`);
    this.live().push(as ?? name);
  }

  /** SWAPn exchanging the top with the topmost slot called `name`. */
  swap(name: string, comment = ""): void {
    const d = this.find(name);
    if (d === 1) return;
    this.swapN(d - 1, comment || `${name} to the top`);
  }

  swapN(n: number, comment = ""): void {
    const s = this.live();
    if (n < 1 || n > 16 || n >= s.length) throw new AsmError(`SWAP${n} with stack ${this.view().join(" ")}`);
    this.emitOp(`SWAP${n}`, comment);
    const top = s.length - 1;
    [s[top], s[top - n]] = [s[top - n], s[top]];
  }

  dupN(n: number, as: string, comment = ""): void {
    const s = this.live();
    if (n < 1 || n > 16 || n > s.length) throw new AsmError(`DUP${n} with stack ${this.view().join(" ")}`);
    this.emitOp(`DUP${n}`, comment);
    s.push(as);
  }

  /** POP of the top slot, which must be called `name` when given. */
  pop(name?: string, comment = ""): void {
    const s = this.live();
    if (name !== undefined && s[s.length - 1] !== name) throw new AsmError(`pop of ${name}, top is ${s[s.length - 1]}`);
    this.op("POP", null, comment || `drop ${s[s.length - 1]}`);
  }

  /** Removes the slot `name` wherever it is (SWAP + POP; only POP when on top). */
  drop(name: string): void {
    this.swap(name);
    this.pop(name);
  }

  // ------------------------------------------------------------------ control flow

  /** JUMPDEST; the stack there is the one every jump to it recorded (depths must agree). */
  label(label: string, stack?: string[]): void {
    if (this.defined.has(label)) throw new AsmError(`label ${label} defined twice`);
    this.defined.add(label);
    const jumped = this.labelDepth.get(label);
    if (stack && jumped && jumped.join(" ") !== [...stack].reverse().join(" ")) {
      throw new AsmError(`label ${label}: declared stack ${stack.join(" ")}, jumps arrive with ${[...jumped].reverse().join(" ")}`);
    }
    const recorded = stack ? [...stack].reverse() : jumped;
    if (this.stack === null) {
      if (!recorded) throw new AsmError(`label ${label}: unreachable and no jump recorded its stack`);
      this.stack = [...recorded];
    } else if (recorded && recorded.join(" ") !== this.stack.join(" ")) {
      throw new AsmError(`label ${label}: falls through with ${this.view().join(" ")}, jumps arrive with ${[...recorded].reverse().join(" ")}`);
    }
    this.labelDepth.set(label, [...this.stack]);
    this.items.push({ kind: "label", label });
    this.emitOp("JUMPDEST", `${label}:`);
  }

  private record(label: string): void {
    const s = this.live();
    const known = this.labelDepth.get(label);
    if (known && known.join(" ") !== s.join(" ")) {
      throw new AsmError(`jump to ${label} with ${this.view().join(" ")}, the label has ${[...known].reverse().join(" ")}`);
    }
    if (!known) this.labelDepth.set(label, [...s]);
  }

  jump(label: string, comment = ""): void {
    this.pushLabel(label, "@dest");
    this.op("JUMP", null, comment || `goto ${label}`);
    this.record(label);
    this.stack = null;
  }

  /**
   * Entry of a subroutine: the code after it sees only `stackTopFirst` (its arguments and return address), so it
   * cannot touch the caller's slots; callers reach it with `callSub` from any depth.
   */
  subroutine(label: string, stackTopFirst: string[]): void {
    if (this.stack !== null) throw new AsmError(`subroutine ${label} must not be reached by falling through`);
    this.label(label, stackTopFirst);
  }

  /**
   * Calls a subroutine: pushes the return label, then `args` (emitted by the callback), jumps; execution resumes
   * after the call with the stack as before it (the subroutine consumes its arguments and the return address).
   */
  callSub(sub: string, args: () => void, comment = "", results: string[] = []): void {
    const ret = `${sub}_ret${this.nextTemp++}`;
    const before = [...results, ...this.view()];
    this.pushLabel(ret, "ret");
    args();
    this.pushLabel(sub, "@dest");
    this.op("JUMP", null, comment || `call ${sub}`);
    this.stack = null;
    this.label(ret, before);
  }

  /** A fresh label name (deterministic). */
  unique(prefix: string): string {
    return `${prefix}_${this.nextTemp++}`;
  }

  /** JUMPI to `label` if the top slot (consumed) is nonzero. */
  jumpi(label: string, comment = ""): void {
    this.pushLabel(label, "@dest");
    this.op("JUMPI", null, comment || `if ... goto ${label}`);
    this.record(label);
  }

  /** JUMP to an address on the stack (a subroutine return); code after it is unreachable. */
  jumpTo(name: string, comment = ""): void {
    this.expect([name]);
    this.op("JUMP", null, comment || `return via ${name}`);
    this.stack = null;
  }

  /** Declares the stack at a label reached only through `jumpTo` (subroutine return points). */
  expectAt(label: string, stackTopFirst: string[]): void {
    this.labelDepth.set(label, [...stackTopFirst].reverse());
  }

  /** Marks the following code unreachable (after RETURN, REVERT, STOP). */
  end(): void {
    this.stack = null;
  }

  /** Raw bytes at the end of the code (tables read with CODECOPY); `label` is their offset. */
  data(label: string, bytes: Uint8Array, comment = ""): void {
    this.items.push({ kind: "data", label, bytes, comment });
  }

  // ------------------------------------------------------------------ expressions

  /** Compiles `source` (see the file comment) and names the result `out`. */
  expr(source: string, out: string, comment = ""): void {
    const node = parse(source);
    const result = this.emitNode(node, comment);
    if (this.view()[0] !== result) throw new AsmError(`expression "${source}" left ${this.view()[0]} on top`);
    this.name(out);
  }

  /**
   * Emits `node` and returns the name its value has on the stack. A moved identifier emits nothing: the consuming
   * instruction checks that the slot is exactly where its operand must be.
   */
  private emitNode(node: Node, comment: string): string {
    if (node.kind === "num") {
      this.push(node.value, "_lit", comment);
      return "_lit";
    }
    if (node.kind === "id") {
      if (node.move) return node.name;
      if (this.constants[node.name] !== undefined) {
        this.push(node.name, node.name, comment);
        return node.name;
      }
      this.dup(node.name, node.name, comment);
      return node.name;
    }
    const opName = EXPR_OPS[node.fn];
    if (!opName) throw new AsmError(`unknown function ${node.fn} in expression`);
    const names: string[] = [];
    for (let i = node.args.length - 1; i >= 0; i--) names.unshift(this.emitNode(node.args[i], comment));
    const out = `_t${this.nextTemp++}`;
    this.op(opName, out, comment, names);
    return out;
  }

  /** name := source, for a slot anywhere within reach: the new value is computed, swapped into place, the old popped. */
  assign(name: string, source: string, comment = ""): void {
    const tmp = `${name}__new`;
    this.expr(source, tmp, comment);
    this.swap(name);
    this.pop(name);
    this.rename(tmp, name);
  }

  // ------------------------------------------------------------------ output

  /** Bytecode and a listing (offset, static gas, instruction, comment, stack before). */
  assemble(): { code: Uint8Array; listing: string; labels: Map<string, number>; gasBetween: (from: string, to: string) => number } {
    const offsets = new Map<string, number>();
    let pc = 0;
    for (const item of this.items) {
      if (item.kind === "label") offsets.set(item.label, pc);
      else if (item.kind === "data") {
        offsets.set(item.label, pc);
        pc += item.bytes.length;
      } else pc += 1 + (item.immBytes ?? 0);
    }
    if (pc > 0xffff) throw new AsmError(`code of ${pc} bytes does not fit PUSH2 labels`);
    const code = new Uint8Array(pc);
    const lines: string[] = [];
    let at = 0;
    for (const item of this.items) {
      if (item.kind === "label") continue;
      if (item.kind === "data") {
        code.set(item.bytes, at);
        lines.push(`${hex4(at)}        DATA ${item.label} (${item.bytes.length} bytes) ${item.comment}`);
        at += item.bytes.length;
        continue;
      }
      code[at] = item.code;
      let imm = item.imm;
      if (item.label !== undefined) {
        const target = offsets.get(item.label);
        if (target === undefined) throw new AsmError(`undefined label ${item.label}`);
        imm = BigInt(target);
      }
      if (item.immBytes) {
        const bytes = item.immBytes;
        for (let i = 0; i < bytes; i++) code[at + 1 + i] = Number((imm! >> BigInt(8 * (bytes - 1 - i))) & 0xffn);
      }
      const gas = staticGas(item.name);
      const immText = item.label !== undefined ? ` ${item.label}` : item.imm !== undefined ? ` 0x${item.imm.toString(16)}` : "";
      lines.push(`${hex4(at)} ${String(gas).padStart(3)}  ${(item.name + immText).padEnd(28)} ${item.comment.padEnd(60)} [${item.stack}]`);
      at += 1 + (item.immBytes ?? 0);
    }
    for (const label of this.labelDepth.keys()) if (!this.defined.has(label)) throw new AsmError(`label ${label} used but not defined`);
    /** Static gas of the straight-line instructions from label `from` up to (not including) label `to`. */
    const gasBetween = (from: string, to: string) => {
      let inside = false;
      let total = 0;
      for (const item of this.items) {
        if (item.kind === "label" && item.label === from) inside = true;
        else if (item.kind === "label" && item.label === to && inside) return total;
        else if (inside && item.kind === "op") total += staticGas(item.name);
      }
      throw new AsmError(`no straight code from ${from} to ${to}`);
    };
    return { code, listing: lines.join("\n"), labels: offsets, gasBetween };
  }
}

function staticGas(name: string): number {
  if (OPS[name]) return OPS[name].gas;
  return 3; // PUSHn, DUPn, SWAPn
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}

// ------------------------------------------------------------------ expression parser

type Node = { kind: "num"; value: bigint } | { kind: "id"; name: string; move: boolean } | { kind: "call"; fn: string; args: Node[] };

function parse(source: string): Node {
  let i = 0;
  const skip = () => {
    while (i < source.length && /\s/.test(source[i])) i++;
  };
  const node = (): Node => {
    skip();
    const m = /^(0x[0-9a-fA-F]+|[0-9]+|[A-Za-z_@][A-Za-z0-9_]*)(!?)/.exec(source.slice(i));
    if (!m) throw new AsmError(`expression "${source}": unexpected text at ${i}`);
    i += m[0].length;
    const word = m[1];
    if (/^(0x|[0-9])/.test(word)) return { kind: "num", value: BigInt(word) };
    skip();
    if (source[i] !== "(") return { kind: "id", name: word, move: m[2] === "!" };
    i++;
    const args: Node[] = [];
    skip();
    if (source[i] === ")") {
      i++;
      return { kind: "call", fn: word, args };
    }
    for (;;) {
      args.push(node());
      skip();
      if (source[i] === ",") {
        i++;
        continue;
      }
      if (source[i] === ")") {
        i++;
        return { kind: "call", fn: word, args };
      }
      throw new AsmError(`expression "${source}": expected , or ) at ${i}`);
    }
  };
  const result = node();
  skip();
  if (i !== source.length) throw new AsmError(`expression "${source}": trailing text at ${i}`);
  return result;
}
