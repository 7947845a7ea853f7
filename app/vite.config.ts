/**
 * Vite build of the MedRing web app (README "The web app"). `npm run build` runs it; scripts/stack/appServer.ts
 * serves the output (app/dist) under a strict Content-Security-Policy.
 *
 * The page reuses the project's own src/ (client, actions, mrs1, envelope, keys, fhir). Node built-ins must not
 * reach the bundle: `nodeBuiltinsRefused` fails the build on any import of one (Vite would otherwise swap in an
 * empty stub that breaks at run time), and the list of bundled modules is written to dist/.vite/modules.json for
 * test/app/bundle.test.ts.
 */
import { builtinModules } from "node:module";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { defineConfig, type Plugin } from "vite";
import { prunedR4Definitions } from "./build/fhirDefinitions";

const APP = __dirname;
const ROOT = resolve(APP, "..");
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function nodeBuiltinsRefused(): Plugin {
  return {
    name: "medring-node-builtins-refused",
    enforce: "pre",
    resolveId(source, importer) {
      if (BUILTINS.has(source) || source.startsWith("node:")) {
        this.error(`${source} is a Node built-in, imported by ${importer ? relative(ROOT, importer) : "?"}: the browser bundle must not contain it`);
      }
      return null;
    },
    generateBundle(_options, bundle) {
      const modules = new Set<string>();
      for (const chunk of Object.values(bundle))
        if (chunk.type === "chunk") for (const id of chunk.moduleIds) modules.add(relative(ROOT, id.replace(/\?.*$/, "")));
      const dir = join(APP, "dist", ".vite");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "modules.json"), JSON.stringify([...modules].sort(), null, 2) + "\n");
    },
  };
}

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
  plugins: [nodeBuiltinsRefused(), fhirDefinitions()],
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
