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

/** Label keys of label objects seen before: hot paths pass the same frozen object each time. */
const labelKeys = new WeakMap<Labels, string>();

function cachedLabelKey(labels: Labels): string {
  let k = labelKeys.get(labels);
  if (k === undefined) labelKeys.set(labels, (k = labelKey(labels)));
  return k;
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
  /** label set → bucket counts, sum and count. */
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: number[],
  ) {}
  observe(value: number, labels: Labels = {}): void {
    const k = cachedLabelKey(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]++;
    });
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const series = this.series.size > 0 ? [...this.series.values()] : [{ labels: {}, counts: this.buckets.map(() => 0), sum: 0, count: 0 }];
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} histogram`,
      ...series.flatMap((s) => [
        ...this.buckets.map((b, i) => `${this.name}_bucket${labelKey({ ...s.labels, le: String(b) })} ${s.counts[i]}`),
        `${this.name}_bucket${labelKey({ ...s.labels, le: "+Inf" })} ${s.count}`,
        `${this.name}_sum${labelKey(s.labels)} ${s.sum}`,
        `${this.name}_count${labelKey(s.labels)} ${s.count}`,
      ]),
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
  acceptanceStepSeconds: Histogram; // label step: the pipeline's steps of a submission (pipeline/steps.ts)
  sendStepSeconds: Histogram; // label step: check (the full eth_call before signing) | broadcast (eth_sendRawTransaction)
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
    acceptanceStepSeconds: registry.register(
      new Histogram(
        "medring_relayer_acceptance_step_seconds",
        "Time of each step of checking and storing a submission",
        [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      ),
    ),
    sendStepSeconds: registry.register(
      new Histogram(
        "medring_relayer_send_step_seconds",
        "Time of the node calls a lane makes to send a job: the check before signing, the broadcast",
        [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      ),
    ),
    queueDepth: registry.register(new Gauge("medring_relayer_queue_depth", "Jobs by status that are not final")),
    balanceWei: registry.register(new Gauge("medring_relayer_balance_wei", "Relayer signer balance, wei")),
  };
}
