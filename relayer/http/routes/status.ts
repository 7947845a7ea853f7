import type { Request, Response } from "express";
import { ACTIONS, authorizationsOf } from "../../codecs/registry";
import type { AppContext } from "../context";

/** GET /v1/status: chain, contracts, relayer accounts and balances, queue depth, ring policy, version. */
export function statusRoute(ctx: AppContext) {
  return async (_req: Request, res: Response): Promise<void> => {
    const [policy, balances, nonces, queue] = await Promise.all([
      ctx.view.ringPolicy(),
      Promise.all(ctx.lanes.map((l) => ctx.provider.getBalance(l.address))),
      Promise.all(ctx.lanes.map((l) => ctx.laneStore.getNextNonce(l.address))),
      ctx.store.countByStatus(),
    ]);
    ctx.lanes.forEach((l, i) => ctx.metrics.balanceWei.set({ signer: l.address }, Number(balances[i])));
    res.json({
      version: ctx.version,
      chainId: ctx.chain.chainId.toString(),
      contracts: ctx.contracts,
      relayers: ctx.lanes.map((l, i) => ({ address: l.address, balanceWei: balances[i].toString(), nextNonce: nonces[i] ?? null, held: l.held })),
      queue,
      ringPolicy: policy,
      actions: [...ACTIONS.values()].map((c) => ({ kind: c.kind, authorizations: authorizationsOf(c) })),
    });
  };
}
