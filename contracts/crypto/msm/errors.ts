/**
 * The MSM core's custom errors (IMultiScalarMulCore.sol) and the code that reverts with one.
 */
import { id } from "ethers";
import type { Assembler } from "./asm";

const selector = (signature: string) => BigInt(id(signature).slice(0, 10));
export const ERRORS = {
  notCreator: "MultiScalarMulNotCreator(address)",
  malformed: "MultiScalarMulMalformedTerms(uint256,uint256)",
  badPlan: "MultiScalarMulBadPlan(uint256,uint256)",
  notOnCurve: "MultiScalarMulNotOnCurve()",
};

/** ABI-encoded custom error `signature` with the given stack slots (top = first argument), then REVERT. */
export function revertWith(a: Assembler, signature: string, args: string[]): void {
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
