import { expect } from "chai";
import { MAX_BLOCKS_BEHIND, attackerSuccessProbability, gamblersRuinCatchUp } from "../../src/analysis/catchUp";

/** Nakamoto, "Bitcoin: A Peer-to-Peer Electronic Cash System" §11, printed to 7 decimals. */
const WHITEPAPER_TABLE: ReadonlyArray<{ q: number; z: number; printed: string }> = [
  { q: 0.1, z: 0, printed: "1.0000000" },
  { q: 0.1, z: 1, printed: "0.2045873" },
  { q: 0.1, z: 2, printed: "0.0509779" },
  { q: 0.1, z: 3, printed: "0.0131722" },
  { q: 0.1, z: 4, printed: "0.0034552" },
  { q: 0.1, z: 5, printed: "0.0009137" },
  { q: 0.1, z: 6, printed: "0.0002428" },
  { q: 0.1, z: 7, printed: "0.0000647" },
  { q: 0.1, z: 8, printed: "0.0000173" },
  { q: 0.1, z: 9, printed: "0.0000046" },
  { q: 0.1, z: 10, printed: "0.0000012" },
  { q: 0.3, z: 0, printed: "1.0000000" },
  { q: 0.3, z: 5, printed: "0.1773523" },
  { q: 0.3, z: 10, printed: "0.0416605" },
  { q: 0.3, z: 15, printed: "0.0101008" },
  { q: 0.3, z: 20, printed: "0.0024804" },
  { q: 0.3, z: 25, printed: "0.0006132" },
  { q: 0.3, z: 30, printed: "0.0001522" },
  { q: 0.3, z: 35, printed: "0.0000379" },
  { q: 0.3, z: 40, printed: "0.0000095" },
  { q: 0.3, z: 45, printed: "0.0000024" },
  { q: 0.3, z: 50, printed: "0.0000006" },
];

/** Nakamoto §11 "Solving for P less than 0.1%": the least z with P < 0.001. */
const WHITEPAPER_Z_FOR_P_BELOW_0_1_PERCENT: ReadonlyArray<{ q: number; z: number }> = [
  { q: 0.1, z: 5 },
  { q: 0.15, z: 8 },
  { q: 0.2, z: 11 },
  { q: 0.25, z: 15 },
  { q: 0.3, z: 24 },
  { q: 0.35, z: 41 },
  { q: 0.4, z: 89 },
  { q: 0.45, z: 340 },
];

/**
 * Independent high-precision values: Nakamoto's "1 - Σ" formula evaluated with Python
 * mpmath at 80 significant digits (q as the same binary double). They are below or near
 * the double rounding of "1 - Σ", so they test the cancellation-free evaluation.
 */
const HIGH_PRECISION: ReadonlyArray<{ q: number; z: number; value: number }> = [
  { q: 0.1, z: 50, value: 2.1171770333858422e-29 },
  { q: 0.3, z: 50, value: 5.9029538880343999e-7 },
  { q: 0.45, z: 340, value: 0.00099472141450565651 },
  { q: 0.25, z: 200, value: 1.6150768994522401e-38 },
];

describe("attackerSuccessProbability", () => {
  for (const { q, z, printed } of WHITEPAPER_TABLE) {
    it(`matches the whitepaper's P = ${printed} for q = ${q}, z = ${z}`, () => {
      expect(attackerSuccessProbability(q, z).toFixed(7)).to.equal(printed);
    });
  }

  for (const { q, z } of WHITEPAPER_Z_FOR_P_BELOW_0_1_PERCENT) {
    it(`first drops below 0.1% at the whitepaper's z = ${z} for q = ${q}`, () => {
      expect(attackerSuccessProbability(q, z)).to.be.below(0.001);
      expect(attackerSuccessProbability(q, z - 1)).to.be.at.least(0.001);
    });
  }

  for (const { q, z, value } of HIGH_PRECISION) {
    it(`agrees with an 80-digit evaluation to 1e-12 relative for q = ${q}, z = ${z}`, () => {
      const got = attackerSuccessProbability(q, z);
      expect(Math.abs(got - value) / value).to.be.below(1e-12);
    });
  }

  for (const q of [0.01, 0.1, 0.3, 0.45, 0.499]) {
    it(`strictly decreases in z and stays in (0, 1] for q = ${q}`, () => {
      let previous = attackerSuccessProbability(q, 0);
      expect(previous).to.equal(1);
      for (let z = 1; z <= 60; z++) {
        const current = attackerSuccessProbability(q, z);
        expect(current, `z = ${z}`).to.be.above(0).and.below(previous);
        previous = current;
      }
    });
  }

  it("is at least the gambler's-ruin value, since the attacker also mines while the recipient waits", () => {
    for (const q of [0.1, 0.3]) {
      for (let z = 1; z <= 50; z++) {
        expect(attackerSuccessProbability(q, z), `q = ${q}, z = ${z}`).to.be.above(gamblersRuinCatchUp(q, z));
      }
    }
  });

  it("increases with the attacker's share q at a fixed deficit", () => {
    const values = [0.05, 0.1, 0.2, 0.3, 0.4, 0.49].map((q) => attackerSuccessProbability(q, 10));
    for (let i = 1; i < values.length; i++) expect(values[i]).to.be.above(values[i - 1]);
  });

  for (const q of [0.5, 0.6, 0.99]) {
    it(`returns 1 for every z when q = ${q} >= p`, () => {
      for (const z of [0, 1, 10, 50, MAX_BLOCKS_BEHIND]) expect(attackerSuccessProbability(q, z)).to.equal(1);
    });
  }

  it("stays finite and in [0, 1] at the largest accepted deficit", () => {
    const value = attackerSuccessProbability(0.4999, MAX_BLOCKS_BEHIND);
    expect(value).to.be.at.least(0).and.at.most(1);
  });
});

describe("gamblersRuinCatchUp", () => {
  it("is (q/p)^z when q < p", () => {
    expect(gamblersRuinCatchUp(0.1, 1)).to.be.closeTo(1 / 9, 1e-15);
    expect(gamblersRuinCatchUp(0.3, 10)).to.be.closeTo(Math.pow(3 / 7, 10), 1e-18);
    expect(gamblersRuinCatchUp(0.25, 0)).to.equal(1);
  });

  it("is 1 when q >= p", () => {
    expect(gamblersRuinCatchUp(0.5, 40)).to.equal(1);
    expect(gamblersRuinCatchUp(0.7, 3)).to.equal(1);
  });
});

describe("catch-up input validation", () => {
  const functions = [attackerSuccessProbability, gamblersRuinCatchUp];
  /** Each rejected value beside how the error message must show it. */
  const badShares: ReadonlyArray<[unknown, string]> = [
    [0, "0"],
    [1, "1"],
    [-0.1, "-0.1"],
    [1.5, "1.5"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    ["0.1", 'string "0.1"'],
    [undefined, "undefined"],
    [10n, "bigint 10"],
  ];
  const badDeficits: ReadonlyArray<[unknown, string]> = [
    [-1, "-1"],
    [1.5, "1.5"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [MAX_BLOCKS_BEHIND + 1, String(MAX_BLOCKS_BEHIND + 1)],
    [2 ** 53, "9007199254740992"],
    ["5", 'string "5"'],
  ];

  for (const f of functions) {
    for (const [q, shown] of badShares) {
      it(`${f.name} throws a RangeError naming q = ${shown}`, () => {
        expect(() => f(q as number, 5)).to.throw(RangeError, `attacker share q must be a number in (0, 1), got ${shown}`);
      });
    }
    for (const [z, shown] of badDeficits) {
      it(`${f.name} throws a RangeError naming z = ${shown}`, () => {
        expect(() => f(0.1, z as number)).to.throw(RangeError, `blocks behind z must be an integer in [0, ${MAX_BLOCKS_BEHIND}], got ${shown}`);
      });
    }
  }
});
