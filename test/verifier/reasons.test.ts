/**
 * The TypeScript names of IRingVerifier.Reason (src/mrs1 `VerifierReason`) against the Solidity enum they copy:
 * `tryVerify` answers the enum's index, so names and order must match exactly.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { VerifierReason, verifierReasonName } from "../../src/mrs1";

const SOURCE = path.join(__dirname, "..", "..", "contracts", "interfaces", "IRingVerifier.sol");

/** The member names of `enum Reason { … }` in declaration order, comments removed. */
function solidityReasons(): string[] {
  const source = fs
    .readFileSync(SOURCE, "utf8")
    .replace(/\/\/.*$/gm, "")
    .replace(/\/\*[\s\S]*?\*\//g, "");
  const body = /enum\s+Reason\s*\{([^}]*)\}/.exec(source);
  if (!body) throw new Error(`${SOURCE}: no enum Reason`);
  return body[1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

describe("IRingVerifier.Reason in TypeScript", function () {
  it("names the Solidity enum's members in its declaration order", function () {
    const names = Object.keys(VerifierReason).filter((k) => Number.isNaN(Number(k)));
    expect(names).to.deep.equal(solidityReasons());
    names.forEach((name, i) => expect(VerifierReason[name as keyof typeof VerifierReason]).to.equal(i));
  });

  it("prints an on-chain reason in the kebab-case style of the TS reject reasons", function () {
    expect(verifierReasonName(0n)).to.equal("none");
    expect(verifierReasonName(VerifierReason.HashPointHintInvalid)).to.equal("hash-point-hint-invalid");
    expect(verifierReasonName(9)).to.equal("challenge-mismatch");
    expect(verifierReasonName(42)).to.equal("reason 42");
  });
});
