import type { Request, Response } from "express";
import type { AppContext } from "../context";

/** GET /metrics: Prometheus text exposition. Balances are refreshed here (one eth_getBalance per signer). */
export function metricsRoute(ctx: AppContext) {
  return async (_req: Request, res: Response): Promise<void> => {
    await Promise.all(ctx.lanes.map(async (l) => ctx.metrics.balanceWei.set({ signer: l.address }, Number(await ctx.provider.getBalance(l.address))))).catch(
      () => undefined,
    ); // an RPC outage must not hide the other metrics
    const counts = await ctx.store.countByStatus();
    for (const s of ["queued", "submitted", "mined"] as const) ctx.metrics.queueDepth.set({ status: s }, counts[s]);
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  };
}
