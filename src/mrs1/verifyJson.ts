import { parseSignatureJson } from "./json";
import type { Verdict } from "./types";
import { verify } from "./verify";

/**
 * Verifies a signature in the interchange format as received from a file or the network: parse failures
 * are verdicts too ("malformed", or "point-not-on-curve" for MRS-1 §Verification 3), never throws.
 */
export function verifyJson(input: unknown): Verdict {
  const parsed = parseSignatureJson(input);
  return parsed.ok ? verify(parsed.signature) : { valid: false, reason: parsed.reason, detail: parsed.detail };
}
