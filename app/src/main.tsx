/**
 * Entry point of the MedRing web app (README "The web app"). Zod is told not to compile validators with
 * `new Function`: the Content-Security-Policy forbids eval (scripts/stack/appServer.ts).
 */
import { render, type ComponentChild } from "preact";
import { z } from "zod";
import { App } from "./App";
import { loadConfig } from "./config";
import "./style.css";

z.config({ jitless: true });

const root = document.getElementById("app")!;
/** Replaces the "Loading" placeholder (render would keep it beside the app). */
const show = (node: ComponentChild) => {
  root.textContent = "";
  render(node, root);
};
loadConfig().then(
  (config) => show(<App config={config} />),
  (err: unknown) =>
    show(
      <p class="status error" role="alert">
        {(err as Error).message}
      </p>,
    ),
);
