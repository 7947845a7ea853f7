import { timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AppContext } from "./context";
import { renderMetrics } from "./routes/metrics";

/**
 * The /metrics listener, apart from the public API: metrics count acceptances and confirmations as they happen, so
 * whoever reads them can tie an on-chain action to the moment it reached the relayer (README, security model: no
 * public timing). It binds to `config.metrics.host` (127.0.0.1 by default) and, when a token is configured, answers
 * 401 without `Authorization: Bearer <token>`. Anything but GET /metrics is 404.
 */
export function createMetricsServer(ctx: AppContext): http.Server {
  const { token } = ctx.config.metrics;
  return http.createServer((req, res) => {
    const reply = (status: number, message: string) => res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(message + "\n");
    if (req.method !== "GET" || new URL(req.url ?? "/", "http://metrics").pathname !== "/metrics") return reply(404, "not found");
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) return reply(401, "unauthorized");
    renderMetrics(ctx).then(
      (m) => res.writeHead(200, { "content-type": m.contentType }).end(m.text),
      (err: Error) => reply(503, `metrics unavailable: ${err.message}`),
    );
  });
}

/** Constant-time comparison of the presented bearer token with the configured one. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(/^Bearer (.+)$/.exec(header ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
