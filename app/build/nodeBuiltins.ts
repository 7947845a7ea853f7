/**
 * No Node built-in may reach the browser bundle (README "The web app"): the page reuses src/, and anything there
 * that needs node:fs, node:crypto and the like lives in its own Node-only file. Vite would otherwise replace such an
 * import with an empty stub that fails only at run time; this plugin fails the build instead, naming the importer.
 * It also writes the list of bundled modules (repository-relative) to `modulesFile` for test/app/bundle.test.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, relative, resolve } from "node:path";
import type { Plugin } from "vite";

const ROOT = resolve(__dirname, "..", "..");
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

export function nodeBuiltinsRefused(modulesFile: string): Plugin {
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
      mkdirSync(dirname(modulesFile), { recursive: true });
      writeFileSync(modulesFile, JSON.stringify([...modules].sort(), null, 2) + "\n");
    },
  };
}
