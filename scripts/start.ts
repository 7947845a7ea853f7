/**
 * `npm start`: the whole MedRing stack on embedded defaults, nothing to configure (scripts/stack/stack.ts):
 * a local devnet (chain id 31337; the Hardhat node, or Anvil with `--chain anvil`: scripts/stack/devnet.ts) on
 * 127.0.0.1:8545, deployment through scripts/deploy.ts, and the relayer on 127.0.0.1:8080 (`--relayers N`: N
 * relayers on 8080, 8081, … sharing a local PostgreSQL). `npm run devnet` (`--no-relayer`) starts the devnet and
 * deploys only. A relayer that dies is restarted after a back-off while the others serve; the devnet's or the
 * database's death stops the stack (scripts/stack/supervisor.ts). The web app (app/) is served on 127.0.0.1:8090
 * (scripts/stack/appServer.ts).
 * Ctrl-C (SIGINT) or SIGTERM stops every child process. Ports and directories: scripts/stack/config.ts.
 */
import { join, relative } from "node:path";
import { scriptProgress } from "../src/cli/progress";
import { STACK_VARIABLES, loadStackConfig } from "./stack/config";
import { DEFAULT_DEVNET, DEVNET_FLAGS_HELP, blocksOf, readDevnetFlag, type DevnetOptions } from "./stack/devnet";
import { startAppServer, type RunningAppServer } from "./stack/appServer";
import { isPortFree } from "./stack/processes";
import { relayerUrlOf, startStack } from "./stack/stack";
import { Supervisor } from "./stack/supervisor";
import { DEVNET_CHAIN_ID, DEVNET_REGULATOR_INDEX, DEVNET_RELAYER_INDEXES } from "../src/devnet";
import { readDeployment } from "../src/chain/deploymentFile";

/** Most relayers `--relayers` starts: one devnet key each (src/devnet.ts DEVNET_RELAYER_INDEXES). */
const MAX_RELAYERS = DEVNET_RELAYER_INDEXES.length;

function usage(): string {
  const vars = Object.entries(STACK_VARIABLES).map(([k, v]) => `  ${k.padEnd(22)} ${v}`);
  return [
    "usage: npm start                     devnet + deployment + relayer (SQLite job store)",
    `       npm start -- --relayers N     … N relayers (2..${MAX_RELAYERS}) on ports 8080, 8081, …, sharing a local PostgreSQL`,
    "       npm run devnet                devnet + deployment only",
    "options (npm start and npm run devnet):",
    ...DEVNET_FLAGS_HELP,
    "environment:",
    ...vars,
    "  (relayer settings: npm run relayer -- --help)",
  ].join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) return void console.log(usage());
  const withRelayer = !args.includes("--no-relayer");
  let relayers = 1;
  const devnet: DevnetOptions = { ...DEFAULT_DEVNET };
  const unknown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--no-relayer") continue;
    try {
      if (readDevnetFlag(args[i], () => args[++i], devnet)) continue;
    } catch (err) {
      console.error(`start: ${(err as Error).message}`);
      process.exitCode = 2;
      return;
    }
    if (args[i] === "--relayers") {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 1 || n > MAX_RELAYERS) {
        console.error(`start: --relayers takes a whole number from 1 to ${MAX_RELAYERS}, got ${args[i] ?? "nothing"}`);
        process.exitCode = 2;
        return;
      }
      relayers = n;
    } else unknown.push(args[i]);
  }
  if (unknown.length > 0) {
    console.error(`start: unknown argument ${unknown[0]}\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  let config;
  try {
    config = loadStackConfig(process.env);
  } catch (err) {
    console.error(`start: ${(err as Error).message}`);
    process.exitCode = 2;
    return;
  }
  let app: RunningAppServer | undefined;
  // Each step with the time since start: redrawn in place on a terminal, one line per event in a pipe or a log.
  const progress = scriptProgress(process.stdout, process.env);
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    progress.stop();
    console.log("stopping …");
    await app?.close();
    await supervisor.stopAll();
    process.exit(code);
  };
  const supervisor = new Supervisor({
    log: (line) => console.error(`start: ${line}`),
    fatal: (reason) => {
      console.error(`start: ${reason}; stopping`);
      void shutdown(1);
    },
  });
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  let stack;
  try {
    if (withRelayer && !(await isPortFree(config.appHost, config.appPort)))
      throw new Error(`web app: ${config.appHost}:${config.appPort} is already in use (set MEDRING_APP_PORT to use another port)`);
    stack = await startStack(config, { withRelayer, relayers, devnet, progress, supervisor });
    if (withRelayer) {
      const registry = readDeployment(stack.deploymentFile)?.contracts.MedRingRegistry;
      if (registry === undefined) throw new Error(`${stack.deploymentFile} names no MedRingRegistry`);
      progress.waiting(`serving the web app on ${config.appUrl}`);
      app = await startAppServer(config.appHost, config.appPort, {
        relayerUrl: relayerUrlOf(config, 0),
        rpcUrl: config.rpcUrl,
        registry,
        chainId: DEVNET_CHAIN_ID.toString(),
      });
      progress.report(`web app ready: ${app.url}`);
    }
  } catch (err) {
    if (stopping) return;
    progress.stop();
    console.error(`start: ${(err as Error).message}`);
    await shutdown(1);
    return;
  }
  progress.stop();
  const shown = (path: string) => (relative(process.cwd(), path).startsWith("..") ? path : relative(process.cwd(), path));
  console.log(
    [
      "",
      "MedRing is running:",
      `  devnet (chain 31337)   ${config.rpcUrl}  (${devnet.client}, ${blocksOf(devnet)})`,
      `  deployment             ${shown(stack.deploymentFile)}`,
      `  regulator key file     ${shown(stack.regulatorKeyFile)} (devnet account #${DEVNET_REGULATOR_INDEX}, ${stack.regulatorAddress})`,
      ...(withRelayer && relayers === 1 ? [`  relayer                ${config.relayerUrl}  (OpenAPI: ${config.relayerUrl}/v1/openapi.json)`] : []),
      ...(withRelayer && relayers > 1
        ? [
            ...Array.from({ length: relayers }, (_, i) => `  relayer ${i + 1}              ${relayerUrlOf(config, i)}`),
            `  job store              PostgreSQL on 127.0.0.1:${config.postgresPort} (${shown(join(config.stateDir, "data", "postgres"))}), shared by the relayers`,
          ]
        : []),
      ...(app ? [`  web app                ${app.url}  (open it in a browser)`] : []),
      `  logs                   ${shown(stack.logDir)}/`,
      "",
      withRelayer ? `Open ${app?.url} in a browser, or try: npx medring --help   or   npm run demo   (press Ctrl-C to stop)` : "Press Ctrl-C to stop.",
    ].join("\n"),
  );
}

void main();
