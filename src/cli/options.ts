/**
 * Options shared by the commands that talk to the chain or the relayer, parsed once into typed values
 * (STYLE.md "validate at the edges"). Defaults: the local stack of `npm start`; the environment variables
 * MEDRING_RELAYER_URL, MEDRING_RPC_URL and MEDRING_REGISTRY override them, flags override both.
 */
import { Option, type Command } from "commander";
import { parseHexBytes } from "../hex";
import type { CommandContext } from "./context";
import { CliError } from "./errors";
import { parseOrExit } from "./io";

export const DEFAULT_RELAYER_URL = "http://127.0.0.1:8080";
export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";

export interface NetworkOptions {
  relayer?: string;
  rpc?: string;
  registry?: string;
  json?: boolean;
  checkRpc?: string;
  ringFloor?: string;
}

export interface Network {
  relayerUrl: string;
  rpcUrl: string;
  registry?: string;
  json: boolean;
  /** A second RPC node, a further source of the anonymity set (src/client/anonymityGuard.ts). */
  checkRpcUrl?: string;
  /** The smallest ring the client signs (at least 8). */
  ringFloor?: number;
}

/** Adds --relayer, --rpc, --registry and --json. */
export function networkOptions(command: Command): Command {
  return command
    .addOption(new Option("--relayer <url>", `relayer base URL (env MEDRING_RELAYER_URL; default ${DEFAULT_RELAYER_URL})`))
    .addOption(new Option("--rpc <url>", `JSON-RPC endpoint of the chain (env MEDRING_RPC_URL; default ${DEFAULT_RPC_URL})`))
    .addOption(new Option("--registry <address>", "MedRingRegistry address (env MEDRING_REGISTRY; default: what the relayer's /v1/status reports)"))
    .option("--json", "print the result as JSON on stdout");
}

/**
 * Adds the options of commands that sign with a ring (README "Security model"): --check-rpc (a second RPC node
 * whose anonymity set must agree with the node's and the relayer's), --ring-floor (raise the client's floor of 8)
 * and --anonymity-store (where the anonymity set seen so far and each scope's ring are kept).
 */
export function anonymityOptions(command: Command): Command {
  return command
    .addOption(new Option("--check-rpc <url>", "a second JSON-RPC endpoint of the chain; its anonymity set must agree too (env MEDRING_CHECK_RPC_URL)"))
    .addOption(new Option("--ring-floor <n>", "never sign a ring smaller than this (default and minimum 8)"))
    .addOption(new Option("--anonymity-store <file>", "file of the anonymity set seen so far and each scope's ring (default: <key file>.anonymity.json)"));
}

/** Adds --dry-run: print the exact JSON body for POST /v1/submissions and send nothing. */
export function dryRunOption(command: Command): Command {
  return command.option("--dry-run", "print the exact JSON body that would be POSTed to /v1/submissions; send nothing");
}

/** The key options every actor command has (keyOptions). */
export interface KeyFileOptions {
  key: string;
  passphraseFile?: string;
  allowReadableKey?: boolean;
}

/** What an actor command that talks to the chain gets: the network, its key file and, where it has one, --dry-run. */
export type ActorOptions = NetworkOptions & KeyFileOptions & { dryRun?: boolean };

/** ... and, signing with a ring, where the anonymity set seen so far is kept (anonymityOptions). */
export type RingActorOptions = ActorOptions & { anonymityStore?: string };

/** Adds --key and --passphrase-file (a passphrase never goes on the command line). */
export function keyOptions(command: Command, what: string): Command {
  return command
    .requiredOption("--key <file>", `${what} key file (medring keys new)`)
    .option("--passphrase-file <file>", "file whose first line is the key file's passphrase (or env MEDRING_PASSPHRASE)")
    .option("--allow-readable-key", "read the key file even if its group or others may read it (refused otherwise)");
}

function parseUrl(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${option}: ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliError(`${option}: expected an http:// or https:// URL, got ${url.protocol}`);
  return value;
}

export function parseNetwork(options: NetworkOptions, context: CommandContext): Network {
  const env = context.env ?? process.env;
  const registry = options.registry ?? (env.MEDRING_REGISTRY || undefined);
  return {
    relayerUrl: parseUrl(options.relayer ?? (env.MEDRING_RELAYER_URL || DEFAULT_RELAYER_URL), "--relayer"),
    rpcUrl: parseUrl(options.rpc ?? (env.MEDRING_RPC_URL || DEFAULT_RPC_URL), "--rpc"),
    registry: registry === undefined ? undefined : parseAddress(registry, "--registry"),
    json: options.json === true,
    ...parseAnonymity(options, env),
  };
}

function parseAnonymity(options: NetworkOptions, env: NodeJS.ProcessEnv): Pick<Network, "checkRpcUrl" | "ringFloor"> {
  const checkRpc = options.checkRpc ?? (env.MEDRING_CHECK_RPC_URL || undefined);
  let ringFloor: number | undefined;
  if (options.ringFloor !== undefined) {
    if (!/^[0-9]{1,6}$/.test(options.ringFloor) || Number(options.ringFloor) < 8) {
      throw new CliError(`--ring-floor: expected an integer of at least 8 (the floor can be raised, never lowered), got ${JSON.stringify(options.ringFloor)}`);
    }
    ringFloor = Number(options.ringFloor);
  }
  return { checkRpcUrl: checkRpc === undefined ? undefined : parseUrl(checkRpc, "--check-rpc"), ringFloor };
}

/** A 20-byte address (mixed case must be a valid EIP-55 checksum); returned checksummed. */
export function parseAddress(value: string, option: string): string {
  // Loaded on first use, not at start-up (src/cli/main.ts: declaring the commands loads no crypto library).
  const { getAddress, isAddress } = require("ethers") as typeof import("ethers");
  if (!isAddress(value))
    throw new CliError(`${option}: ${JSON.stringify(value)} is not a 0x-prefixed 20-byte address (mixed case must be a valid EIP-55 checksum)`);
  return getAddress(value);
}

/** A record id: 0x + 64 hex digits, returned lower-case. */
export function parseRecordId(value: string): string {
  return parseOrExit(() => {
    parseHexBytes(value, "--record", 32);
    return value.toLowerCase();
  });
}

/** --ring-size: a positive integer (the registry's policy is checked against the chain later). */
export function parseRingSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,5}$/.test(value)) throw new CliError(`--ring-size: expected a positive integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** --quota: a whole number of admissions, 0 to 2^64 - 1 (IMedRingRegistry.setAdmissionQuota). */
export function parseQuota(value: string): bigint {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(value) || BigInt(value) >= 2n ** 64n) {
    throw new CliError(`--quota: expected a whole number below 2^64, got ${JSON.stringify(value)}`);
  }
  return BigInt(value);
}
