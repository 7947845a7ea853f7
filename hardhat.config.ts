import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, TASK_COMPILE_SOLIDITY_GET_SOURCE_PATHS } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";
import "./tasks";
import { nativeMemoryRootHooks } from "./test/helpers/nativeMemoryHooks";

/** The compiler is the npm `solc` package (solc-js): nothing may be downloaded at build time. */
const SOLC_VERSION = "0.8.30";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  const solcPackage = require("solc/package.json") as { version: string };
  if (solcPackage.version !== SOLC_VERSION) {
    throw new Error(`npm package solc is ${solcPackage.version}, hardhat.config.ts pins ${SOLC_VERSION}: run npm ci`);
  }
  return {
    version: SOLC_VERSION,
    longVersion: require("solc").version() as string,
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
  };
});

/**
 * The MSM core is hand-scheduled EVM code assembled from contracts/crypto/msm/core.ts; its creation code becomes the
 * Solidity constant in contracts/crypto/MultiScalarMulCoreCode.sol (generated, git-ignored) before every compile.
 */
subtask(TASK_COMPILE_SOLIDITY_GET_SOURCE_PATHS, async (args, hre, runSuper) => {
  const { writeCoreSource } = await import("./contracts/crypto/msm/build");
  writeCoreSource(hre.config.paths.root);
  return runSuper(args);
});

/**
 * The MRS-1 verifier and its harnesses are compiled for execution gas, not code size: with runs = 200 the
 * optimiser encodes p = 2^256 - 2^32 - 977 as NOT(PUSH5 0x1000003d0) (6 gas, 7 bytes) at each of its ~20 uses in a
 * point addition instead of PUSH32 p (3 gas, 33 bytes). docs/verifier-gas.md has the measurements.
 */
const VERIFIER_SETTINGS = { optimizer: { enabled: true, runs: 1_000_000 }, viaIR: false, evmVersion: "cancun" };
const VERIFIER_SOURCES = ["contracts/RingVerifier.sol", "contracts/test/Secp256k1Harness.sol", "contracts/test/MRS1Harness.sol"];

/** Any EVM network: MEDRING_RPC_URL plus MEDRING_DEPLOYER_KEY (never committed). */
const remoteAccounts = process.env.MEDRING_DEPLOYER_KEY ? [process.env.MEDRING_DEPLOYER_KEY] : [];

const config: HardhatUserConfig = {
  solidity: {
    compilers: [{ version: SOLC_VERSION, settings: { optimizer: { enabled: true, runs: 200 }, viaIR: false, evmVersion: "cancun" } }],
    overrides: Object.fromEntries(VERIFIER_SOURCES.map((source) => [source, { version: SOLC_VERSION, settings: VERIFIER_SETTINGS }])),
  },
  networks: {
    // Test harnesses may exceed EIP-170's 24,576-byte code limit (PaperStyleRegistry carries three contracts'
    // creation code); test/contracts/codeSize.test.ts holds every deployable contract under it instead.
    hardhat: { allowUnlimitedContractSize: true },
    localhost: { url: process.env.MEDRING_RPC_URL_LOCAL ?? "http://127.0.0.1:8545" },
    remote: { url: process.env.MEDRING_RPC_URL ?? "http://127.0.0.1:8545", accounts: remoteAccounts },
    // The Anvil child the test runner starts for a group (scripts/testRunner.ts, docs/testing.md); its unlocked
    // accounts are the devnet's, the same as the Hardhat network's. Defined only when MEDRING_TEST_NODE_URL names it,
    // so that a test run can never fall back to a devnet of `npm start` on the default port.
    ...(process.env.MEDRING_TEST_NODE_URL ? { testnode: { url: process.env.MEDRING_TEST_NODE_URL, timeout: 600_000 } } : {}),
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  // The root hooks keep the in-process network's native trace memory bounded (test/helpers/nativeMemoryHooks.ts, scripts/lib/nativeMemory.ts).
  mocha: { timeout: 600_000, rootHooks: nativeMemoryRootHooks },
};

export default config;
