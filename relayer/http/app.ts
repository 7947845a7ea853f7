import express, { type NextFunction, type Request, type Response } from "express";
import cors from "cors";
import helmet from "helmet";
import { ApiError, errorBody } from "../errors";
import { StoreUnavailable } from "../store/types";
import { expressTrustProxy, globalConcurrency, perClientConcurrency, perClientRate } from "./clientLimits";
import type { AppContext } from "./context";
import { healthz, readyz } from "./routes/health";
import { openapiRoute } from "./routes/openapi";
import { recordRing } from "./routes/recordRing";
import { ringMembers } from "./routes/ringMembers";
import { statusRoute } from "./routes/status";
import { submissionsGet } from "./routes/submissionsGet";
import { submissionsPost } from "./routes/submissionsPost";
import { verifyRoute } from "./routes/verify";

/** ethers / transport error codes that mean "the chain did not answer", as opposed to a bug. */
const CHAIN_DOWN = new Set(["NETWORK_ERROR", "SERVER_ERROR", "TIMEOUT", "ECONNREFUSED", "ECONNRESET", "UND_ERR_SOCKET", "UNKNOWN_ERROR"]);

function isChainDown(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string }; message?: string };
  return CHAIN_DOWN.has(e.code ?? "") || CHAIN_DOWN.has(e.cause?.code ?? "") || /fetch failed|ECONNREFUSED|socket hang up/i.test(e.message ?? "");
}

export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", expressTrustProxy(ctx.config.trustProxy));
  app.use(helmet());
  const origins = ctx.config.corsOrigins;
  app.use(cors({ origin: origins === "*" ? "*" : origins.length === 0 ? false : origins, methods: ["GET", "POST"] }));

  // Per-client limits first (clientLimits.ts): one address's slow or greedy requests are refused at its own budget
  // and never reach the global one. Every route is behind them: /readyz and /metrics make chain and store reads too.
  app.use(perClientConcurrency(ctx.config.maxConcurrencyPerIp, ctx.metrics));
  app.use(perClientRate(ctx.config.rateLimitPerMinute, ctx.metrics));

  // The probes come before the global limit: they answer while the process is healthy, however busy it is.
  app.get("/healthz", healthz());
  app.get("/readyz", readyz(ctx));

  app.use(globalConcurrency(ctx.config.maxConcurrency));
  // /metrics is not served here: only on its own listener (metricsServer.ts), private by default.

  const v1 = express.Router();
  v1.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.method === "POST" && !req.is("application/json")) {
      next(new ApiError("unsupported_media_type", "the body must be application/json"));
      return;
    }
    next();
  });
  v1.use(express.json({ limit: ctx.config.maxBodyBytes, strict: true }));
  v1.post("/submissions", submissionsPost(ctx));
  v1.get("/submissions/:id", submissionsGet(ctx));
  v1.post("/verify", verifyRoute(ctx));
  v1.get("/ring/members", ringMembers(ctx));
  v1.get("/records/:id/ring", recordRing(ctx));
  v1.get("/status", statusRoute(ctx));
  v1.get("/openapi.json", openapiRoute(ctx));
  app.use("/v1", v1);

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new ApiError("not_found", `no route ${req.method} ${req.path}`));
  });

  // One error shape, no stack traces or internals in answers; details go to the log without payloads.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let api: ApiError;
    const e = err as { type?: string; status?: number };
    if (err instanceof ApiError) api = err;
    else if (e.type === "entity.parse.failed") api = new ApiError("invalid_json", "the body is not valid JSON");
    else if (e.type === "entity.too.large") api = new ApiError("payload_too_large", `the body exceeds ${ctx.config.maxBodyBytes} bytes`);
    else if (e.type === "encoding.unsupported" || e.type === "charset.unsupported") api = new ApiError("unsupported_media_type", "unsupported body encoding");
    else if (typeof e.status === "number" && e.status >= 400 && e.status < 500) api = new ApiError("invalid_request", "malformed request");
    else if (err instanceof StoreUnavailable) {
      ctx.log.warn({ route: req.route?.path ?? req.path, err: { message: err.message } }, "job store unavailable");
      api = new ApiError("store_unavailable", "the job store is not reachable; try again later");
    } else if (isChainDown(err)) {
      ctx.log.warn({ route: req.route?.path ?? req.path, err: { message: (err as Error).message } }, "chain unavailable");
      api = new ApiError("chain_unavailable", "the chain is not reachable; try again later");
    } else {
      ctx.log.error({ route: req.route?.path ?? req.path, err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, "internal error");
      api = new ApiError("internal", "internal error");
    }
    if (req.path.startsWith("/v1/submissions") && req.method === "POST") ctx.metrics.submissions.inc({ outcome: `rejected_${api.code}` });
    if (api.retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(api.retryAfterSeconds));
    res.status(api.status).json(errorBody(api.code, api.message));
  });
  return app;
}
