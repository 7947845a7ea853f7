/**
 * A minimal Prometheus registry (text exposition format 0.0.4): counters, gauges and histograms with labels.
 * Only what the relayer exports; no client library is needed for that.
 */

type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "";
  // Label values are escaped as the exposition format requires: backslash, double quote, newline.
  const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  return `{${keys.map((k) => `${k}="${esc(labels[k])}"`).join(",")}}`;
}

interface Metric {
  render(): string[];
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error(`counter ${this.name} cannot decrease`);
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...[...this.values].map(([k, v]) => `${this.name}${k} ${v}`)];
  }
}

export class Gauge implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly collect?: (g: Gauge) => void,
  ) {}
  set(value: number, labels: Labels = {}): void {
    this.values.set(labelKey(labels), value);
  }
  render(): string[] {
    this.collect?.(this);
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, ...[...this.values].map(([k, v]) => `${this.name}${k} ${v}`)];
  }
}

export class Histogram implements Metric {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: number[],
  ) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number): void {
    this.buckets.forEach((b, i) => {
      if (value <= b) this.counts[i]++;
    });
    this.sum += value;
    this.count++;
  }
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} histogram`,
      ...this.buckets.map((b, i) => `${this.name}_bucket{le="${b}"} ${this.counts[i]}`),
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    ];
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];
  register<M extends Metric>(m: M): M {
    this.metrics.push(m);
    return m;
  }
  /** The exposition text; gauges with a collector refresh their values first. */
  render(): string {
    return this.metrics.flatMap((m) => m.render()).join("\n") + "\n";
  }
}

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** The relayer's metrics (issue 4: submissions by outcome, gas spent, queue depth, confirmation latency, balance). */
export interface RelayerMetrics {
  registry: MetricsRegistry;
  submissions: Counter; // label outcome: accepted | duplicate | rejected_<code>
  jobsFinal: Counter; // label status: confirmed | failed | expired
  gasSpent: Counter; // gas units of mined relayer transactions
  feesSpentWei: Counter;
  confirmationSeconds: Histogram; // accept → confirmed
  queueDepth: Gauge; // label status
  balanceWei: Gauge; // label signer
}

export function createRelayerMetrics(): RelayerMetrics {
  const registry = new MetricsRegistry();
  return {
    registry,
    submissions: registry.register(new Counter("medring_relayer_submissions_total", "Submissions by outcome")),
    jobsFinal: registry.register(new Counter("medring_relayer_jobs_final_total", "Jobs that reached a final state, by status")),
    gasSpent: registry.register(new Counter("medring_relayer_gas_used_total", "Gas used by mined relayer transactions")),
    feesSpentWei: registry.register(new Counter("medring_relayer_fees_wei_total", "Fees paid by mined relayer transactions, wei")),
    confirmationSeconds: registry.register(
      new Histogram("medring_relayer_confirmation_seconds", "Time from acceptance to confirmation", [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900]),
    ),
    queueDepth: registry.register(new Gauge("medring_relayer_queue_depth", "Jobs by status that are not final")),
    balanceWei: registry.register(new Gauge("medring_relayer_balance_wei", "Relayer signer balance, wei")),
  };
}
