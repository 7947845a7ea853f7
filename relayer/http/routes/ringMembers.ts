import type { Request, Response } from "express";
import { toBeHex } from "ethers";
import { Point, pointToHex } from "../../../src/mrs1";
import { ringMembersQuery } from "../../../src/api";
import { ApiError, formatIssue } from "../../errors";
import type { AppContext } from "../context";

/** GET /v1/ring/members?offset&limit: the anonymity set (registered patients' ring keys), from the registry. */
export function ringMembers(ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const q = ringMembersQuery.safeParse(req.query);
    if (!q.success) throw new ApiError("invalid_request", formatIssue(q.error.issues[0]));
    const { offset, limit } = q.data;
    const [total, members] = await Promise.all([ctx.chain.registry.ringMemberCount(), ctx.chain.registry.ringMembers(offset, limit)]);
    res.json({
      total: Number(total),
      offset,
      limit,
      members: members.map((m) => ({
        x: toBeHex(m.x, 32),
        y: toBeHex(m.y, 32),
        compressed: pointToHex(Point.fromAffine({ x: m.x, y: m.y })),
      })),
    });
  };
}
