import type { Request, Response } from "express";
import { toBeHex } from "ethers";
import { Point, pointToHex } from "../../../src/mrs1";
import { ringMembersQuery } from "../../../src/api";
import { ApiError, formatIssue } from "../../errors";
import type { AppContext } from "../context";

/**
 * GET /v1/ring/members?offset&limit: the anonymity set (registered patients' ring keys) with each member's public
 * admitter, from the registry. Clients check it against their RPC node's answer before drawing decoys (README
 * "Security model"). A member's admitter never changes (members are never removed), so it is read once and kept.
 */
export function ringMembers(ctx: AppContext) {
  const admitters = new Map<string, string>();
  const admitterOf = async (x: bigint, y: bigint): Promise<string> => {
    const key = `${x}:${y}`;
    let admitter = admitters.get(key);
    if (admitter === undefined) {
      admitter = (await ctx.chain.registry.ringMemberAdmitter(x, y)).toLowerCase();
      admitters.set(key, admitter);
    }
    return admitter;
  };
  return async (req: Request, res: Response): Promise<void> => {
    const q = ringMembersQuery.safeParse(req.query);
    if (!q.success) throw new ApiError("invalid_request", formatIssue(q.error.issues[0]));
    const { offset, limit } = q.data;
    const [total, members] = await Promise.all([ctx.chain.registry.ringMemberCount(), ctx.chain.registry.ringMembers(offset, limit)]);
    res.json({
      total: Number(total),
      offset,
      limit,
      members: await Promise.all(
        members.map(async (m) => ({
          x: toBeHex(m.x, 32),
          y: toBeHex(m.y, 32),
          compressed: pointToHex(Point.fromAffine({ x: m.x, y: m.y })),
          admitter: await admitterOf(m.x, m.y),
        })),
      ),
    });
  };
}
