import { readSink, SinkLayout, SinkSpan } from './sink';
import { SentTrace, TraceKind } from './traffic';

/**
 * What arrived at the sink for a set of sent traces: per kind, how many traces were kept (any span
 * arrived), complete (every span arrived), and which traces arrived on more than one replica.
 */
export interface Tally {
  readonly sent: Record<TraceKind, number>;
  readonly kept: Record<TraceKind, number>;
  readonly sentSpans: number;
  readonly keptSpans: number;
  /** Traces of which some, not all, spans arrived. */
  readonly partial: string[];
  /** Traces whose spans arrived on more than one sampler replica. */
  readonly split: string[];
  /** Spans that arrived more than once (at-least-once delivery after a retry). */
  readonly duplicates: number;
  /** Error and slow traces (every one must be kept) that did not arrive. */
  readonly missingMustKeep: SentTrace[];
  /** Tenant ids seen per service. */
  readonly tenants: Record<string, string[]>;
}

const KINDS: TraceKind[] = ['normal', 'error', 'slow'];

export function tally(sent: readonly SentTrace[], spans: readonly SinkSpan[]): Tally {
  const byTrace = new Map<string, SinkSpan[]>();
  for (const s of spans) {
    const list = byTrace.get(s.traceId) ?? [];
    list.push(s);
    byTrace.set(s.traceId, list);
  }
  const zero = () => ({ normal: 0, error: 0, slow: 0 });
  const sentBy = zero();
  const keptBy = zero();
  const partial: string[] = [];
  const split: string[] = [];
  const missingMustKeep: SentTrace[] = [];
  let duplicates = 0;
  let keptSpans = 0;
  let sentSpans = 0;
  const tenants: Record<string, Set<string>> = {};
  for (const t of sent) {
    sentBy[t.kind]++;
    sentSpans += t.spans;
    const arrived = byTrace.get(t.traceId) ?? [];
    const distinct = new Set(arrived.map((s) => s.spanId));
    duplicates += arrived.length - distinct.size;
    if (arrived.length === 0) {
      if (t.kind !== 'normal') missingMustKeep.push(t);
      continue;
    }
    keptBy[t.kind]++;
    keptSpans += distinct.size;
    if (distinct.size !== t.spans) partial.push(t.traceId);
    if (new Set(arrived.map((s) => s.replica)).size > 1) split.push(t.traceId);
    for (const s of arrived) (tenants[s.service] ??= new Set()).add(s.tenant ?? '(none)');
  }
  return {
    sent: sentBy, kept: keptBy, sentSpans, keptSpans, partial, split, duplicates, missingMustKeep,
    tenants: Object.fromEntries(Object.entries(tenants).map(([k, v]) => [k, [...v].sort()])),
  };
}

export function tallySink(sent: readonly SentTrace[], layout: SinkLayout): Tally {
  return tally(sent, readSink(layout));
}

/** One line per kind, for the test output. */
export function describeTally(title: string, t: Tally): string {
  const rows = KINDS.map((k) => `  ${k.padEnd(6)} sent ${String(t.sent[k]).padStart(5)} traces, kept ${String(t.kept[k]).padStart(5)} (${t.sent[k] ? ((100 * t.kept[k]) / t.sent[k]).toFixed(1) : '0.0'}%)`);
  return [
    `${title}:`,
    ...rows,
    `  spans sent ${t.sentSpans}, spans kept ${t.keptSpans}, dropped by sampling ${t.sentSpans - t.keptSpans}, must-keep traces lost ${t.missingMustKeep.length}, partial traces ${t.partial.length}, traces split across replicas ${t.split.length}, duplicate spans ${t.duplicates}`,
  ].join('\n');
}
