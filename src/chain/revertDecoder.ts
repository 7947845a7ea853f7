/**
 * Revert data as a readable reason, one decoder for the client (built from the contracts' interfaces) and the
 * relayer (built from every compiled artifact): the project's custom errors, OpenZeppelin's errors used by them,
 * and Solidity's `Error(string)` and `Panic(uint256)`. No file system access here, so the browser app (app/) uses it
 * too; reading every compiled artifact (the relayer's decoder) is ./artifactReverts.ts.
 */
import { ErrorFragment, Interface, isError, type ErrorDescription, type Fragment, type JsonFragment } from "ethers";

export class RevertDecoder {
  private readonly iface: Interface;

  /** `fragments`: error entries of ABIs, parsed or as JSON; the same signature given twice counts once. */
  constructor(fragments: readonly (JsonFragment | Fragment)[]) {
    const bySignature = new Map<string, ErrorFragment>();
    for (const f of fragments) {
      if (f.type !== "error") continue;
      const error = ErrorFragment.from(f);
      bySignature.set(error.format("sighash"), error);
    }
    this.iface = new Interface([...bySignature.values()]);
  }

  /** The errors of contract interfaces (typechain factories' `createInterface()`, or any ethers Interface). */
  static fromInterfaces(interfaces: readonly Interface[]): RevertDecoder {
    return new RevertDecoder(interfaces.flatMap((iface) => iface.fragments));
  }

  /** The known error `data` encodes, with its arguments; undefined for anything else. */
  parse(data: unknown): ErrorDescription | undefined {
    if (typeof data !== "string" || data.length < 10) return undefined;
    try {
      return this.iface.parseError(data) ?? undefined;
    } catch {
      return undefined; // a known selector whose arguments do not decode
    }
  }

  /** `Name(arg1, arg2)` for a known error, undefined for anything else. */
  name(data: unknown): string | undefined {
    const parsed = this.parse(data);
    return parsed ? formatRevert(parsed) : undefined;
  }

  /** `Name(arg1, arg2)` for a known error, otherwise a description of the raw data. */
  decode(data: string | null | undefined): string {
    if (!data || data === "0x") return "reverted without data";
    return this.name(data) ?? `unknown error ${data.slice(0, 10)}`;
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

/** A decoded error as `Name(arg1, arg2)`: what ethers puts in `CALL_EXCEPTION.revert`, or a `parse` result. */
export function formatRevert(error: { name: string; args: ArrayLike<unknown> }): string {
  return `${error.name}(${Array.from(error.args, formatArg).join(", ")})`;
}

function formatArg(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map(formatArg).join(", ")}]`;
  return String(v);
}
