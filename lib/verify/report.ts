/**
 * Renders a VerifyReport: an aligned plain-text table for people, or JSON for
 * machines. Rendering is pure; the CLI decides where the text goes.
 */
import { formatHours } from './duration';
import { CheckStatus, ExitCode, VerifyReport } from './types';

/** Schema version of the `--json` output; bump on incompatible changes. */
export const JSON_REPORT_VERSION = 1;

/** The report as `--json` prints it. */
export function renderJson(report: VerifyReport): string {
  return JSON.stringify({ version: JSON_REPORT_VERSION, ...report }, null, 2);
}

const STATUS_LABEL: Record<CheckStatus, string> = {
  'pass': 'ok',
  'finding': 'FINDING',
  'not-supported': 'NOT SUPPORTED',
  'could-not-check': 'COULD NOT CHECK',
};

/** Bytes as B/KiB/MiB/GiB/TiB with one decimal. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

/** The human report. */
export function renderTable(report: VerifyReport): string {
  const out: string[] = [];
  const where = `s3://${report.bucket}/${report.prefix ? `${report.prefix}/` : ''}`;
  out.push(`cdk-tracing verify: ${where} (region ${report.region}${report.endpoint ? `, endpoint ${report.endpoint}` : ''})`);
  const overrides = Object.entries(report.retention.perTenantHours).map(([t, h]) => `${t} ${formatHours(h)}`);
  out.push(`expected retention: ${formatHours(report.retention.defaultHours)}${overrides.length ? ` (overrides: ${overrides.join(', ')})` : ''} from ${report.retention.source}; grace ${formatHours(report.graceHours)}`);
  out.push('');

  if (report.tenants.length > 0) {
    const rows = [['TENANT', 'RETENTION', 'BLOCKS', 'COMPACTED', 'SIZE', 'OLDEST', 'NEWEST', 'PAST RETENTION', 'BAD META', 'ORPHANED']];
    for (const t of report.tenants) {
      rows.push([
        t.tenant, formatHours(t.retentionHours), String(t.blocks), String(t.compactedBlocks), formatBytes(t.bytes),
        t.oldestBlockAgeHours === undefined ? '-' : formatHours(t.oldestBlockAgeHours),
        t.newestBlockAgeHours === undefined ? '-' : formatHours(t.newestBlockAgeHours),
        String(t.blocksPastRetention), String(t.corruptMeta), String(t.orphanedBlocks),
      ]);
    }
    out.push(...table(rows));
    const fallback = report.tenants.reduce((n, t) => n + t.ageSources['object-time'], 0);
    if (fallback > 0) out.push(`(${fallback} block age${fallback > 1 ? 's' : ''} taken from object timestamps because meta.json was unreadable)`);
  } else {
    out.push('no tenants found');
  }
  out.push('');

  out.push('BUCKET SETTINGS');
  out.push(...table(report.checks.map((c) => [`  ${c.check}`, STATUS_LABEL[c.status], c.detail])));
  out.push('');

  if (report.findings.length > 0) {
    out.push(`FINDINGS (${report.findings.length})`);
    for (const f of report.findings) out.push(`  - [${f.check}]${f.tenant ? ` ${f.tenant}:` : ''} ${f.message}`);
    out.push('');
  }
  if (report.notes.length > 0) {
    out.push('NOTES');
    for (const n of report.notes) out.push(`  - ${n}`);
    out.push('');
  }
  const l = report.listing;
  out.push(`listed ${l.objects} objects (${formatBytes(l.bytes)}) in ${l.pages} page${l.pages === 1 ? '' : 's'}, read ${l.metaReads} meta.json, ${(l.durationMs / 1000).toFixed(1)}s`);
  out.push(`RESULT: ${resultLine(report)}`);
  return out.join('\n');
}

function resultLine(report: VerifyReport): string {
  const unsupported = report.checks.filter((c) => c.status === 'not-supported').length;
  const unsupportedText = unsupported ? `; ${unsupported} check${unsupported > 1 ? 's' : ''} not supported by this endpoint` : '';
  switch (report.exitCode) {
    case ExitCode.HEALTHY:
      return `healthy${unsupportedText} (exit 0)`;
    case ExitCode.FINDINGS:
      return `${report.findings.length} finding${report.findings.length > 1 ? 's' : ''}${unsupportedText} (exit 1)`;
    default:
      return `some checks could not run${unsupportedText} (exit 2)`;
  }
}
