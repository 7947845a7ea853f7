/** Where the page finds the stack: GET /config.json, written by the server that serves the page (scripts/stack/appServer.ts). */
import { getAddress, isAddress } from "ethers";
import { z } from "zod";

const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });

const schema = z.strictObject({
  relayerUrl: httpUrl,
  rpcUrl: httpUrl,
  registry: z
    .string()
    .refine((v) => isAddress(v), "expected an address")
    .transform((v) => getAddress(v)),
  chainId: z.string().regex(/^[0-9]+$/),
});

export type AppConfig = z.infer<typeof schema>;

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`the server answered ${response.status} for /config.json: start MedRing with npm start and open the URL it prints`);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) throw new Error(`/config.json is not a MedRing configuration (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}
