/**
 * Vite build of the MedRing web app (README "The web app"). `npm run build` runs it; scripts/stack/appServer.ts
 * serves the output (app/dist) under a strict Content-Security-Policy.
 *
 * The page reuses the project's own src/ (client, actions, mrs1, envelope, keys, fhir). Node built-ins must not
 * reach the bundle: ./build/nodeBuiltins.ts fails the build on any import of one, and writes the list of bundled
 * modules to dist/.vite/modules.json for test/app/bundle.test.ts.
 */
import { join } from "node:path";
import { defineConfig, type Plugin } from "vite";
import { prunedR4Definitions } from "./build/fhirDefinitions";
import { nodeBuiltinsRefused } from "./build/nodeBuiltins";

const APP = __dirname;

const FHIR_MODULE = "virtual:medring-fhir-r4";

/** `virtual:medring-fhir-r4`: the URLs of the FHIR R4 definitions (./build/fhirDefinitions.ts), emitted as assets. */
function fhirDefinitions(): Plugin {
  return {
    name: "medring-fhir-r4-definitions",
    resolveId: (id) => (id === FHIR_MODULE ? "\0" + FHIR_MODULE : null),
    load(id) {
      if (id !== "\0" + FHIR_MODULE) return null;
      const definitions = prunedR4Definitions();
      const types = this.emitFile({ type: "asset", name: "fhir-r4-types.json", source: definitions.types });
      const resources = this.emitFile({ type: "asset", name: "fhir-r4-resources.json", source: definitions.resources });
      return `export const typesUrl = import.meta.ROLLUP_FILE_URL_${types};\nexport const resourcesUrl = import.meta.ROLLUP_FILE_URL_${resources};\n`;
    },
  };
}

export default defineConfig({
  root: APP,
  base: "/",
  publicDir: false,
  plugins: [nodeBuiltinsRefused(join(APP, "dist", ".vite", "modules.json")), fhirDefinitions()],
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: join(APP, "dist"),
    emptyOutDir: true,
    target: "es2022",
    // ethers and the FHIR validator are large; the size is known and accepted (the page is served locally).
    chunkSizeWarningLimit: 4096,
    assetsInlineLimit: 0,
    sourcemap: false,
    rollupOptions: {
      // zod marks pure calls with comments Rollup cannot place; it drops them, which changes nothing.
      onwarn(warning, warn) {
        if (warning.code !== "INVALID_ANNOTATION") warn(warning);
      },
    },
  },
});
