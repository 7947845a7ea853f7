/**
 * File and argument input for CLI commands: every external input is parsed once here into typed values,
 * and every failure becomes a one-line CliError (exit 2).
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, writeSync } from "node:fs";
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
 * Creates `path`, which must not exist: O_CREAT | O_EXCL refuses an existing file and any symlink (even a dangling
 * one), and O_NOFOLLOW says so once more for a link in the last component, so nothing is ever written through a link
 * an attacker planted, nor over a file someone still needs (a key file, an admission). Every CLI command that
 * writes a file writes it here.
 */
export function writeNewFile(path: string, content: string | Uint8Array, mode = 0o644): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ELOOP") throw new CliError(`${path} already exists (or is a symbolic link); refusing to overwrite it`);
    throw new CliError(`cannot write ${path}: ${code ?? (err as Error).message}`);
  }
  try {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a key file, refusing one that its group or others may read (mode & 0o077): its secrets may already have
 * leaked, and a key file made by `keys new` is 0600. `allowReadable` (--allow-readable-key) reads it anyway.
 * The mode is checked on the open descriptor, so the file read is the file checked.
 */
export function readPrivateFile(path: string, allowReadable: boolean): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if ((mode & 0o077) !== 0 && !allowReadable) {
      throw new CliError(
        `${path} is readable by others (mode ${mode.toString(8).padStart(4, "0")}); chmod 600 it, or pass --allow-readable-key to read it anyway`,
      );
    }
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
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
