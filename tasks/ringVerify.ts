/**
 * `npx hardhat ring:verify --file FILE [--verifier ADDRESS] [--network NAME]`.
 * Verifies an interchange-format MRS-1 signature (MRS-1 §Interchange) with the on-chain RingVerifier, computing
 * the hints with src/mrs1, and prints `valid` or `invalid: <reason>`, then `gas: N`: the gasUsed of a real
 * transaction calling tryVerify with these arguments, calldata included (what a relayer would pay).
 * Without --verifier it deploys a RingVerifier, which only makes sense on the in-process `hardhat` network.
 */
import { readFileSync } from "node:fs";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { verifierArgsFromJson } from "./verifierArgs";

const TASK = "ring:verify";

/** IRingVerifier.Reason names in declaration order, printed in the CLI's kebab-case style. */
const REASONS = [
  "none",
  "ring-empty",
  "length-mismatch",
  "ring-not-ascending",
  "point-not-on-curve",
  "scalar-not-canonical",
  "hash-point-hint-invalid",
  "commitment-hint-not-on-curve",
  "commitment-mismatch",
  "challenge-mismatch",
];

/** Bad input (file, arguments): reported as one line on stderr with exit code 2, never a stack trace. */
class RingVerifyInputError extends Error {}

function fail(message: string): never {
  throw new RingVerifyInputError(message);
}

function readSignatureFile(file: string): Parameters<typeof verifierArgsFromJson>[0] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    fail(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(`${file} is not JSON: ${(err as Error).message.replace(/\s+/g, " ")}`);
  }
  const o = json as Record<string, unknown>;
  if (typeof o !== "object" || o === null || Array.isArray(o)) fail(`${file}: expected a JSON object (MRS-1 interchange format)`);
  if (o.scheme !== "MRS-1") fail(`${file}: field "scheme" must be "MRS-1"`);
  for (const field of ["scope", "message", "keyImage"]) if (typeof o[field] !== "string") fail(`${file}: field "${field}" must be a hex string`);
  for (const field of ["ring", "c", "e"]) {
    if (!Array.isArray(o[field]) || !(o[field] as unknown[]).every((v) => typeof v === "string"))
      fail(`${file}: field "${field}" must be an array of hex strings`);
  }
  return o as unknown as Parameters<typeof verifierArgsFromJson>[0];
}

async function verifierAt(hre: HardhatRuntimeEnvironment, address: string | undefined) {
  if (address !== undefined) {
    if (!hre.ethers.isAddress(address)) fail(`--verifier ${address} is not an address`);
    if ((await hre.ethers.provider.getCode(address)) === "0x") fail(`no contract at ${address} on network ${hre.network.name}`);
    return hre.ethers.getContractAt("RingVerifier", address);
  }
  if (hre.network.name !== "hardhat") fail(`give --verifier ADDRESS on network ${hre.network.name} (deploying is only automatic in-process)`);
  await hre.run("compile", { quiet: true });
  const verifier = await hre.ethers.deployContract("RingVerifier");
  await verifier.waitForDeployment();
  return verifier;
}

task(TASK, "Verifies an MRS-1 signature file with the on-chain RingVerifier and prints the verdict and its gas")
  .addParam("file", "Signature in the MRS-1 interchange format (JSON)", undefined, types.string)
  .addOptionalParam("verifier", "Address of a deployed RingVerifier (default: deploy one in-process)", undefined, types.string)
  .setAction(async (params: { file: string; verifier?: string }, hre) => {
    try {
      await ringVerify(params, hre);
    } catch (err) {
      if (!(err instanceof RingVerifyInputError)) throw err;
      console.error(`${TASK}: ${err.message}`);
      process.exitCode = 2;
    }
  });

async function ringVerify({ file, verifier: address }: { file: string; verifier?: string }, hre: HardhatRuntimeEnvironment): Promise<void> {
  const json = readSignatureFile(file);
  let args;
  try {
    args = verifierArgsFromJson(json);
  } catch (err) {
    fail(`${file}: ${(err as Error).message}`);
  }
  const verifier = await verifierAt(hre, address);
  const [ok, reason] = await verifier.tryVerify(args.scope, args.message, args.sig, args.hints);
  const [sender] = await hre.ethers.getSigners();
  const data = verifier.interface.encodeFunctionData("tryVerify", [args.scope, args.message, args.sig, args.hints]);
  const receipt = await (await sender.sendTransaction({ to: await verifier.getAddress(), data })).wait();
  console.log(ok ? "valid" : `invalid: ${REASONS[Number(reason)] ?? `reason ${reason}`}`);
  console.log(`gas: ${receipt!.gasUsed}`);
}
