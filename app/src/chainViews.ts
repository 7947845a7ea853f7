/**
 * Chain reads the page shows that the CLI has no command for: the certified institutions (from the registry's
 * InstitutionCertified / InstitutionDecertified events, each checked against institutionInfo) and how many ring
 * members each admitter added (PatientRegistered events: every member's admitter is public, IMedRingRegistry).
 */
import type { MedRingChain } from "../../src/client";

export interface InstitutionEntry {
  address: string;
  certified: boolean;
  encryptionKey: string;
}

/** Every institution ever certified, with its current status, certified ones first. */
export async function institutions(chain: MedRingChain): Promise<InstitutionEntry[]> {
  const events = await chain.registry.queryFilter(chain.registry.filters.InstitutionCertified());
  const addresses = [...new Set(events.map((e) => e.args.institution))];
  const entries = await Promise.all(addresses.map(async (address) => ({ address, ...(await chain.institution(address)) })));
  return entries
    .map((e) => ({ address: e.address, certified: e.certified, encryptionKey: e.encryptionKey }))
    .sort((a, b) => Number(b.certified) - Number(a.certified) || a.address.localeCompare(b.address));
}

export interface RingOverview {
  policy: { min: number; max: number };
  members: number;
  byAdmitter: Array<{ admitter: string; count: number }>;
}

export async function ringOverview(chain: MedRingChain): Promise<RingOverview> {
  const [policy, registered] = await Promise.all([chain.ringPolicy(), chain.registry.queryFilter(chain.registry.filters.PatientRegistered())]);
  const counts = new Map<string, number>();
  for (const e of registered) counts.set(e.args.admitter, (counts.get(e.args.admitter) ?? 0) + 1);
  return {
    policy,
    members: registered.length,
    byAdmitter: [...counts].map(([admitter, count]) => ({ admitter, count })).sort((a, b) => b.count - a.count),
  };
}
