/**
 * Serves the built web app (app/dist, `npm run build`) for `npm start`: static files under a strict
 * Content-Security-Policy, plus GET /config.json telling the page where the relayer and the devnet are and which
 * registry to expect. The page loads nothing from anywhere else: no CDN, no external fonts, no analytics; it may
 * connect only to this origin, the relayer and the JSON-RPC endpoint (connect-src), and the relayer admits this
 * origin only (MEDRING_RELAYER_CORS_ORIGINS, scripts/stack/stack.ts).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { PROJECT_ROOT } from "../../src/projectRoot";

/** What the page reads from GET /config.json (app/src/config.ts validates it). */
export interface AppConfig {
  relayerUrl: string;
  rpcUrl: string;
  /** The registry the page checks the relayer's answer against (MedRingClient.connect `registry`). */
  registry: string;
  chainId: string;
}

export const APP_DIST = join(PROJECT_ROOT, "app", "dist");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** The page's policy: its own scripts and styles only, network access to the stack only, no framing, no plugins. */
export function contentSecurityPolicy(config: Pick<AppConfig, "relayerUrl" | "rpcUrl">): string {
  const origin = (url: string) => new URL(url).origin;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob:",
    `connect-src 'self' ${origin(config.relayerUrl)} ${origin(config.rpcUrl)}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join("; ");
}

function securityHeaders(config: AppConfig): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(config),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
  };
}

/** The file under `root` that `urlPath` names, or undefined (outside root, a dot file, not a file). */
function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const relative = normalize(decoded === "/" ? "/index.html" : decoded).replace(/^[/\\]+/, "");
  if (relative.split(/[/\\]/).some((part) => part.startsWith(".") || part === "")) return undefined;
  const file = join(root, relative);
  if (!file.startsWith(root + sep)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

export interface RunningAppServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the server on host:port; fails when app/dist has not been built. */
export function startAppServer(host: string, port: number, config: AppConfig, root = APP_DIST): Promise<RunningAppServer> {
  if (!existsSync(join(root, "index.html"))) return Promise.reject(new Error(`no built web app in ${root}: run npm run build`));
  const headers = securityHeaders(config);
  const configBody = JSON.stringify(config);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...headers, allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed\n");
      return;
    }
    if (path === "/config.json") {
      res.writeHead(200, { ...headers, "content-type": TYPES[".json"], "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : configBody);
      return;
    }
    const file = fileFor(root, path);
    if (file === undefined) {
      res.writeHead(404, { ...headers, "content-type": "text/plain" }).end("not found\n");
      return;
    }
    // Hashed assets never change; index.html must be re-read so a rebuilt app is picked up.
    const cache = path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    res.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": cache });
    res.end(req.method === "HEAD" ? undefined : readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address() as { port: number };
      resolve({
        url: `http://${host}:${address.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
