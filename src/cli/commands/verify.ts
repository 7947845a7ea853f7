import { CliError, ExitCode } from "../errors";
import type { RegisterCommand } from "../context";
import { readJson } from "../io";

/**
 * `medring verify FILE|-`: prints `valid` (exit 0) or `invalid: <reason>` (exit 1). A file that is not an
 * MRS-1 signature at all is malformed input (exit 2); a well-formed encoding of an off-curve point is a
 * verdict (MRS-1 §Verification 3).
 */
export const registerVerify: RegisterCommand = (program, context, setExit) => {
  program
    .command("verify")
    .description("verify an MRS-1 signature in the interchange format (a file, or - for standard input)")
    .argument("<file>", "signature JSON file, or - for standard input")
    .action(async (file: string) => {
      const { verifyJson } = await import("../../mrs1");
      const verdict = verifyJson(readJson(file));
      if (!verdict.valid && verdict.reason === "malformed") throw new CliError(`${file === "-" ? "standard input" : file}: ${verdict.detail}`);
      if (verdict.valid) {
        context.stdout("valid\n");
        setExit(ExitCode.Ok);
      } else {
        context.stdout(`invalid: ${verdict.reason} (${verdict.detail})\n`);
        setExit(ExitCode.Rejected);
      }
    });
};
