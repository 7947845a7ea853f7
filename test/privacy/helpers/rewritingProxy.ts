/**
 * A hostile JSON-RPC node: a proxy in front of the real one that forwards every request and rewrites chosen
 * answers (README "Security model": the adversary runs the client's RPC node). `rewrite` sees each call of a
 * single or batched request with the real answer and returns the answer to give instead (or undefined to pass
 * it on).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RpcCall {
  method: string;
  params: unknown[];
}

export type Rewrite = (call: RpcCall, result: unknown) => unknown;

export interface RewritingProxy {
  url: string;
  rewrite: Rewrite | undefined;
  close(): Promise<void>;
}

interface RpcMessage {
  id: unknown;
  method: string;
  params?: unknown[];
}

export async function rewritingProxy(target: string): Promise<RewritingProxy> {
  const proxy: RewritingProxy = { url: "", rewrite: undefined, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void answer(target, Buffer.concat(chunks).toString("utf8"), proxy.rewrite).then(
        (body) => {
          res.setHeader("content-type", "application/json");
          res.end(body);
        },
        (err: unknown) => {
          res.statusCode = 502;
          res.end(String(err));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return proxy;
}

async function answer(target: string, body: string, rewrite: Rewrite | undefined): Promise<string> {
  const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
  const text = await upstream.text();
  if (rewrite === undefined) return text;
  const request = JSON.parse(body) as RpcMessage | RpcMessage[];
  const reply = JSON.parse(text) as { id: unknown; result?: unknown } | { id: unknown; result?: unknown }[];
  const calls = [request].flat();
  const answers = [reply].flat();
  for (const a of answers) {
    const call = calls.find((c) => c.id === a.id);
    if (call === undefined || !("result" in a)) continue;
    const replaced = rewrite({ method: call.method, params: call.params ?? [] }, a.result);
    if (replaced !== undefined) a.result = replaced;
  }
  return JSON.stringify(Array.isArray(reply) ? answers : answers[0]);
}
