import { ApiError } from "../errors";
import type { ChainContext } from "./types";

/** Identified record actions go to an MRC; the relayer only pays for MRCs this deployment's registry created. */
export async function requireRecord(record: string, ctx: ChainContext): Promise<string> {
  if (!(await ctx.registry.isRecord(record))) {
    throw new ApiError("invalid_request", `${record} is not a medical record contract of this registry`);
  }
  return record;
}
