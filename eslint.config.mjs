// ESLint flat config (ESLint 9, typescript-eslint 8). Formatting is Prettier's job (.prettierrc), so no rule here
// is about layout; `npm run lint` runs both, and solhint for the contracts.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // Generated or written by tools: build output, Hardhat and TypeChain output, benchmark results.
    ignores: ["artifacts/", "cache/", "typechain-types/", "dist/", "app/dist/", "coverage/", "bench/results/", "data/", "deployments/"],
  },
  {
    // A disable comment that no longer suppresses anything is an error, so stale ones cannot pile up.
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parserOptions: {
        // Type information for the promise rules below. The MSM assembler (contracts/crypto/msm) sits outside
        // tsconfig.json's include; hardhat.config.ts imports it, so the project service finds it there.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A promise nobody awaits loses its rejection: in the relayer an unhandled rejection ends the process, in a
      // test an un-awaited assertion is a test that cannot fail. The tree has none; these keep it that way.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      // The code names deliberately unused bindings with a leading underscore: Express's four-argument error
      // handler (`_next`), `{ field: _omitted, ...rest }` to drop a field, ignored tuple slots.
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      // The output is CommonJS, and `require` is used on purpose where `import` cannot do the job: lazy loading so
      // that CLI start-up loads no crypto library (src/cli/options.ts), module paths known only at run time (the
      // native secp256k1 binding, compiled test output), and catching what a module does while it loads
      // (scripts/stack/postgres.ts). Each site types the result with `typeof import(...)` or an interface.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // bin/medring.js is the one hand-written JavaScript file: a CommonJS Node entry point.
    files: ["**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
