import type { Request, Response } from "express";
import { bytes32 } from "../../../src/api";
import { ApiError } from "../../errors";
import type { AppContext } from "../context";

/**
 * GET /v1/records/{id}/ring: the registry's hash of anonymous record `id`'s fixed ring (IMedRingRegistry
 * `recordRingHash`; zero for an identified or unknown record). A client checks the ring its RPC node gave it
 * against this before signing a grant or revocation with it (README "Security model").
 */
export function recordRing(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const id = bytes32.safeParse(req.params.id);
    if (!id.success) throw new ApiError("invalid_request", "id: expected 0x + 64 hex digits");
    const ringHash = await ctx.chain.registry.recordRingHash(id.data);
    res.json({ id: id.data.toLowerCase(), ringHash });
  };
}
