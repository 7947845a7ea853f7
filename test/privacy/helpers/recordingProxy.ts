/**
 * A recording HTTP proxy: forwards every request to `target` unchanged and keeps what the client sent (method,
 * path and body). Put in front of the JSON-RPC node and the relayer, it shows exactly what each of them learns
 * from a client.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
}

export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  /** Everything recorded since the last `clear`, lower-cased, for substring checks. */
  text(): string;
  clear(): void;
  close(): Promise<void>;
}

export async function recordingProxy(target: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", path: req.url ?? "", body });
      try {
        const answer = await fetch(target + (req.url ?? "/"), {
          method: req.method,
          headers: req.headers["content-type"] ? { "content-type": req.headers["content-type"] } : undefined,
          body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
        });
        res.statusCode = answer.status;
        const type = answer.headers.get("content-type");
        if (type) res.setHeader("content-type", type);
        res.end(Buffer.from(await answer.arrayBuffer()));
      } catch (err) {
        res.statusCode = 502;
        res.end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    text: () =>
      requests
        .map((r) => `${r.method} ${r.path} ${r.body}`)
        .join("\n")
        .toLowerCase(),
    clear: () => void requests.splice(0),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
