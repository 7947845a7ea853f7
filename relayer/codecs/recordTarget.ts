import type { z } from "zod";
import { IMedicalRecord__factory } from "../../typechain-types";
import { ApiError } from "../errors";
import type { ChainContext, IdentifiedActionCodec } from "./types";

/** The MRC's interface, for the identified record actions' calldata. */
export const mrc = IMedicalRecord__factory.createInterface();

/** Identified record actions go to an MRC; the relayer only pays for MRCs this deployment's registry created. */
export async function requireRecord(record: string, ctx: ChainContext): Promise<string> {
  if (!(await ctx.registry.isRecord(record))) {
    throw new ApiError("invalid_request", `${record} is not a medical record contract of this registry`);
  }
  return record;
}

/** An identified action that calls the MRC named by its `record` argument (checked by requireRecord) with `data`. */
export function recordCodec<A extends { record: string }>(args: z.ZodType<A>, data: (a: A) => string): IdentifiedActionCodec<A> {
  return { args, call: async (a, ctx) => ({ to: await requireRecord(a.record, ctx), data: data(a) }) };
}
