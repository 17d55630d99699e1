import { Retention } from '../core/retention';

/**
 * Parses the durations users type and Tempo prints: `14d`, `336h`, `336h0m0s`,
 * `90m`, `1d12h`. Days are accepted because people think of retention in days,
 * even though Go durations (and so Tempo) stop at hours.
 *
 * @returns whole seconds, or undefined when the text is not a duration.
 */
export function parseDurationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^0+$/.test(trimmed)) return 0; // Go prints a zero duration as "0s", users type "0".
  const unit: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
  const re = /(\d+)([dhms])/gy;
  let seconds = 0;
  let lastUnit = Infinity;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(trimmed)) !== null) {
    const size = unit[match[2]];
    if (size >= lastUnit) return undefined; // units must go from large to small, each once
    lastUnit = size;
    seconds += Number(match[1]) * size;
    consumed = re.lastIndex;
  }
  return consumed === trimmed.length ? seconds : undefined;
}

/**
 * Parses a retention: whole hours, at least one.
 * @returns the retention, or undefined with nothing thrown so callers word their own error.
 */
export function parseRetention(text: string): Retention | undefined {
  const seconds = parseDurationSeconds(text);
  if (seconds === undefined || seconds <= 0 || seconds % 3600 !== 0) return undefined;
  return Retention.hours(seconds / 3600);
}

/** Hours as a short human string: `14d`, `36h`, `1d 2h`, `45m`. */
export function formatHours(hours: number): string {
  if (!Number.isFinite(hours)) return 'n/a';
  if (hours < 1) return `${Math.round(hours * 60)}m`;
  const whole = Math.floor(hours);
  const days = Math.floor(whole / 24);
  const rest = whole % 24;
  if (days === 0) return `${whole}h`;
  return rest === 0 ? `${days}d` : `${days}d ${rest}h`;
}
