/**
 * File and argument input for CLI commands: every external input is parsed once here into typed values,
 * and every failure becomes a one-line CliError (exit 2).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { HexFormatError, parseHexBytes } from "../hex";
import type { Point } from "../mrs1";
import { CliError } from "./errors";

/** Reads a file, or standard input for "-". */
export function readInput(path: string): string {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${path === "-" ? "standard input" : path}: ${code ?? (err as Error).message}`);
  }
}

export function readJson(path: string): unknown {
  const text = readInput(path);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path === "-" ? "standard input" : path} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Creates `path`, which must not exist: O_CREAT | O_EXCL ("wx") refuses an existing file and any symlink (even a
 * dangling one), so nothing is ever written through a link an attacker planted, nor over a file someone still
 * needs (a key file, an admission).
 */
export function writeNewFile(path: string, content: string | Uint8Array, mode = 0o644): void {
  try {
    writeFileSync(path, content, { mode, flag: "wx" });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new CliError(`${path} already exists (or is a symbolic link); refusing to overwrite it`);
    throw new CliError(`cannot write ${path}: ${code ?? (err as Error).message}`);
  }
}

/** `writeNewFile` readable only by its owner (0600): key files, decrypted records. */
export function writeSecretFile(path: string, content: string | Uint8Array): void {
  writeNewFile(path, content, 0o600);
}

/** Runs a parser and turns its format errors into CliErrors. */
export function parseOrExit<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof HexFormatError || err instanceof RangeError || err instanceof TypeError) throw new CliError(err.message);
    throw err;
  }
}

/** A 32-byte argument such as --scope or --message: `0x` + exactly 64 hex digits. */
export function parseBytes32Option(value: string, option: string): Uint8Array {
  return parseOrExit(() => parseHexBytes(value, option, 32));
}

/** A SEC1 point from a file or argument; a malformed encoding or an x/y off the curve is a one-line CliError. */
export function parsePointOrExit(value: unknown, field: string): Point {
  // Loaded on first use, not at start-up (src/cli/main.ts: declaring the commands loads no crypto library).
  const { parsePoint } = require("../mrs1") as typeof import("../mrs1");
  try {
    return parsePoint(value, field);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}
