import { uint256ToHex } from "../../hex";
import type { RegisterCommand } from "../context";
import { parseBytes32Option, parsePointOrExit } from "../io";

/** `medring hash-to-point --public-key 0x.. --scope 0x..`: H_p(scope, P) as {"x","y","ctr"} (MRS-1 §Hash to point). */
export const registerHashToPoint: RegisterCommand = (program, context) => {
  program
    .command("hash-to-point")
    .description("print H_p(scope, P) as JSON {x, y, ctr}")
    .requiredOption("--public-key <hex>", "SEC1 hex public key (compressed or uncompressed)")
    .requiredOption("--scope <hex>", "0x + 64 hex digits")
    .action(async (options: { publicKey: string; scope: string }) => {
      const { hashToPoint } = await import("../../mrs1");
      const scope = parseBytes32Option(options.scope, "--scope");
      const publicKey = parsePointOrExit(options.publicKey, "--public-key");
      const { point, ctr } = hashToPoint(scope, publicKey);
      const { x, y } = point.toAffine();
      context.stdout(JSON.stringify({ x: uint256ToHex(x), y: uint256ToHex(y), ctr }) + "\n");
    });
};
