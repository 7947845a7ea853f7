/**
 * The local devnet, on either of two independent EVM clients (README.md, "Choosing the devnet client"):
 *   - `hardhat`: the Hardhat node (EDR), the default; one JSON-RPC request at a time, and debug_traceTransaction
 *     with its struct logs as the verifier's trace tests use it;
 *   - `anvil`: Foundry's Anvil (revm), from the npm package @foundry-rs/anvil; requests served concurrently.
 * Both run the same chain: chain id 31337, the 20 accounts of the well-known mnemonic (src/devnet.ts), hardfork
 * Osaka, a 60 M block gas limit (the Hardhat node's defaults, given to Anvil explicitly), and automine unless
 * `blockTime` asks for interval blocks as on a real chain.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { DEVNET_CHAIN_ID, DEVNET_MNEMONIC } from "../../src/devnet";
import { PROJECT_ROOT } from "../../src/projectRoot";
import { RETURN_FREED_PAGES } from "../lib/nativeMemory";
import { bin } from "./entry";

export const DEVNET_CLIENTS = ["hardhat", "anvil"] as const;
export type DevnetClient = (typeof DEVNET_CLIENTS)[number];

export interface DevnetOptions {
  client: DevnetClient;
  /** Seconds between blocks (interval mining); undefined: automine, a block per transaction. */
  blockTime?: number;
}

export const DEFAULT_DEVNET: DevnetOptions = { client: "hardhat" };

/** How the devnet makes blocks, for the operator: "automine" or "a block every N s". */
export function blocksOf(options: DevnetOptions): string {
  return options.blockTime === undefined ? "automine" : `a block every ${options.blockTime} s`;
}

/** The chain both clients run (the Hardhat node's defaults: hardhat/internal/core/config/default-config.js). */
export const DEVNET_HARDFORK = "osaka";
export const DEVNET_BLOCK_GAS_LIMIT = 60_000_000;
export const DEVNET_ACCOUNTS = 20;

/** What the devnet flags of `npm start`, `npm run devnet` and `npm run demo` mean, for their --help. */
export const DEVNET_FLAGS_HELP = [
  "  --chain hardhat|anvil   devnet client: hardhat (default; the Hardhat node, debug traces) or anvil (Foundry's",
  "                          Anvil: concurrent JSON-RPC, a relayer's throughput is its own) — README.md, Choosing the devnet client",
  "  --block-time N          a block every N seconds (1..3600) instead of one per transaction (automine)",
];

/**
 * Reads one devnet flag (`--chain`, `--block-time`) at `arg` into `into`; false when `arg` is not one. Throws on a
 * bad value, with the message the caller prints before exiting with 2.
 */
export function readDevnetFlag(arg: string, value: () => string | undefined, into: DevnetOptions): boolean {
  if (arg === "--chain") {
    const v = value();
    if (!DEVNET_CLIENTS.includes(v as DevnetClient)) throw new Error(`--chain takes ${DEVNET_CLIENTS.join(" or ")}, got ${v ?? "nothing"}`);
    into.client = v as DevnetClient;
    return true;
  }
  if (arg === "--block-time") {
    const v = value();
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 3600) throw new Error(`--block-time takes whole seconds from 1 to 3600, got ${v ?? "nothing"}`);
    into.blockTime = n;
    return true;
  }
  return false;
}

export interface DevnetCommand {
  command: string;
  args: string[];
  /** Run once the JSON-RPC answers, before anything else uses the chain (the Hardhat node's interval mining). */
  afterReady?: (rpcUrl: string) => Promise<void>;
  /** Its environment over the caller's (the Hardhat node's: RETURN_FREED_PAGES, scripts/lib/nativeMemory.ts). */
  env: Readonly<Record<string, string>>;
}

/** Anvil's binary from its platform package (@foundry-rs/anvil-<os>-<arch>), without the npm wrapper's extra process. */
export function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  const requireHere = createRequire(join(PROJECT_ROOT, "package.json"));
  let manifest: string;
  try {
    manifest = requireHere.resolve(`${pkg}/package.json`);
  } catch {
    throw new Error(`Anvil has no binary for ${process.platform}-${arch} here (${pkg} is not installed): run npm ci, or use --chain hardhat`);
  }
  return join(dirname(manifest), "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
}

/** How to start the devnet client `options.client` on host:port. */
export function devnetCommand(options: DevnetOptions, host: string, port: number): DevnetCommand {
  if (options.client === "anvil") {
    const args = ["--host", host, "--port", String(port), "--chain-id", DEVNET_CHAIN_ID.toString(), "--accounts", String(DEVNET_ACCOUNTS)];
    args.push("--mnemonic", DEVNET_MNEMONIC, "--hardfork", DEVNET_HARDFORK, "--gas-limit", String(DEVNET_BLOCK_GAS_LIMIT));
    // EIP-7825 (Osaka) caps a transaction at 2^24 gas; the Hardhat node enforces it, Anvil only when asked.
    args.push("--enable-tx-gas-limit");
    if (options.blockTime !== undefined) args.push("--block-time", String(options.blockTime));
    return { command: anvilBinary(), args, env: {} };
  }
  const command = { command: bin("hardhat"), args: ["node", "--hostname", host, "--port", String(port)], env: RETURN_FREED_PAGES };
  if (options.blockTime === undefined) return command;
  // `hardhat node` has no flag for it: interval mining is switched on over JSON-RPC (Hardhat's evm_ methods).
  const intervalMs = options.blockTime * 1000;
  return {
    ...command,
    afterReady: async (rpcUrl) => {
      const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
      try {
        await provider.send("evm_setAutomine", [false]);
        await provider.send("evm_setIntervalMining", [intervalMs]);
      } finally {
        provider.destroy();
      }
    },
  };
}

/** Whether the JSON-RPC at `url` answers with the devnet's chain id. */
export async function devnetReady(url: string): Promise<boolean> {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
  try {
    return BigInt(await provider.send("eth_chainId", [])) === DEVNET_CHAIN_ID;
  } finally {
    provider.destroy();
  }
}
