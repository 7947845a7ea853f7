import { ConfigError, helpText, loadConfig } from "./config";
import { createLogger } from "./logger";
import { startRelayer } from "./server";

/** `npm run relayer [-- --help]`: the relayer alone, against MEDRING_RELAYER_RPC_URL and a deployment file. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(helpText() + "\n");
    return;
  }
  if (args.length > 0) {
    process.stderr.write(`unknown argument ${args[0]} (configuration is by environment variables; see --help)\n`);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const relayer = await startRelayer(config, log);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    relayer.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  process.stderr.write(`relayer: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
  process.exit(1);
});
