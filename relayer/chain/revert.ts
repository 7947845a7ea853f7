import fs from "node:fs";
import path from "node:path";
import { Interface, isError, type ErrorDescription, type JsonFragment } from "ethers";

/**
 * Decodes revert data into a readable reason: the project's custom errors (from the compiled artifacts, so the
 * list cannot drift from the contracts), OpenZeppelin's errors used by them, `Error(string)` and `Panic(uint256)`.
 */
export class RevertDecoder {
  private readonly iface: Interface;

  constructor(errorFragments: JsonFragment[]) {
    const seen = new Set<string>();
    const unique = errorFragments.filter((f) => {
      const sig = `${f.name}(${(f.inputs ?? []).map((i) => i.type).join(",")})`;
      if (seen.has(sig)) return false;
      seen.add(sig);
      return true;
    });
    this.iface = new Interface(unique);
  }

  /** Every `error` entry of every artifact under `artifactsDir/contracts` (Hardhat layout). */
  static fromArtifacts(artifactsDir: string): RevertDecoder {
    const fragments: JsonFragment[] = [];
    const walk = (dir: string) => {
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json")) {
          const abi = (JSON.parse(fs.readFileSync(p, "utf8")) as { abi?: JsonFragment[] }).abi ?? [];
          fragments.push(...abi.filter((f) => f.type === "error"));
        }
      }
    };
    walk(path.join(artifactsDir, "contracts"));
    walk(path.join(artifactsDir, "@openzeppelin"));
    return new RevertDecoder(fragments);
  }

  /** The project's custom error `data` encodes, with its arguments; undefined for anything else. */
  parse(data: string | null | undefined): ErrorDescription | undefined {
    if (!data || data === "0x") return undefined;
    try {
      return this.iface.parseError(data) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** `Name(arg1, arg2)` for known errors, otherwise a description of the raw data. */
  decode(data: string | null | undefined): string {
    if (!data || data === "0x") return "reverted without data";
    const parsed = this.parse(data);
    if (parsed) return `${parsed.name}(${parsed.args.map(formatArg).join(", ")})`;
    const std = new Interface(["error Error(string)", "error Panic(uint256)"]);
    try {
      const parsed = std.parseError(data);
      if (parsed) return `${parsed.name}(${parsed.args.map(formatArg).join(", ")})`;
    } catch {
      // unknown selector
    }
    return `unknown error ${data.slice(0, 10)}`;
  }

  /** Revert data carried by an ethers error from `estimateGas` / `call`, or undefined if it was no revert. */
  static revertData(err: unknown): string | undefined {
    if (isError(err, "CALL_EXCEPTION")) return err.data ?? "0x";
    // Some nodes answer estimateGas reverts as a JSON-RPC error with `data` instead of a CALL_EXCEPTION.
    const e = err as { info?: { error?: { data?: unknown; message?: string } }; error?: { data?: unknown } };
    const data = e.info?.error?.data ?? e.error?.data;
    if (typeof data === "string" && data.startsWith("0x")) return data;
    if (data && typeof data === "object" && typeof (data as { data?: unknown }).data === "string") return (data as { data: string }).data;
    const msg = e.info?.error?.message ?? "";
    if (/revert/i.test(msg)) return "0x";
    return undefined;
  }
}

function formatArg(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map(formatArg).join(", ")}]`;
  return String(v);
}
