import type { Request, Response } from "express";
import type { AppContext } from "../context";

/** GET /healthz: the process is alive and serving. */
export function healthz() {
  return (_req: Request, res: Response): void => {
    res.json({ status: "ok" });
  };
}

/** GET /readyz: the RPC endpoint answers and the store is usable; 503 otherwise. */
export function readyz(ctx: AppContext) {
  return async (_req: Request, res: Response): Promise<void> => {
    const rpc = await ctx.provider
      .send("eth_blockNumber", [])
      .then(() => true)
      .catch(() => false);
    let store = true;
    try {
      ctx.store.ping();
    } catch {
      store = false;
    }
    const ok = rpc && store;
    res.status(ok ? 200 : 503).json({ status: ok ? "ready" : "not_ready", checks: { rpc, store } });
  };
}
