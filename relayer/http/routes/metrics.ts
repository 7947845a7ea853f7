import type { AppContext } from "../context";

/** The Prometheus text exposition of the relayer's metrics. Balances and queue depths are refreshed first (one eth_getBalance per signer). */
export async function renderMetrics(ctx: AppContext): Promise<{ contentType: string; text: string }> {
  await Promise.all(ctx.lanes.map(async (l) => ctx.metrics.balanceWei.set({ signer: l.address }, Number(await ctx.provider.getBalance(l.address))))).catch(
    () => undefined,
  ); // an RPC outage must not hide the other metrics
  const counts = await ctx.store.countByStatus();
  for (const s of ["queued", "submitted", "mined"] as const) ctx.metrics.queueDepth.set({ status: s }, counts[s]);
  return { contentType: ctx.metrics.registry.contentType, text: await ctx.metrics.registry.metrics() };
}
