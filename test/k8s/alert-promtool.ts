import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { upstreamProgram } = require('../upstream/build') as { upstreamProgram: (name: string) => string };

/**
 * Runs promtool from Prometheus 3, built from its Go module by the upstream harness
 * (test/upstream/promtool/). It is built on first use; a build failure fails the test, never skips it.
 */
export function promtool(args: string[], cwd: string): { code: number; output: string } {
  const result = spawnSync(upstreamProgram('promtool'), args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw new Error(`promtool could not run: ${result.error.message}`);
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** Prometheus' humanizePercentage for the round values the fixtures use (`%.4g` then `%`). */
function humanizePercentage(value: number): string {
  return `${Number((value * 100).toPrecision(4))}%`;
}

/** Expands the two template forms our annotations use: `{{ $labels.x }}` and `{{ $value | humanizePercentage }}`. */
export function expandTemplate(text: string, labels: Record<string, string>, value: number | undefined): string {
  return text
    .replace(/\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_m, name: string) => labels[name] ?? '')
    .replace(/\{\{\s*\$value\s*\|\s*humanizePercentage\s*\}\}/g, () => {
      if (value === undefined) throw new Error(`template needs $value but the fixture gives no exp_value: ${text}`);
      return humanizePercentage(value);
    });
}

/**
 * Copies a promtool test fixture next to `rules` (written as rules.yaml), fills
 * every expected alert's annotations from the rule's templates, runs
 * `promtool test rules`, and cleans up.
 */
export function runPromtoolTest(fixture: string, rules: { groups: Array<{ rules: Array<{ alert: string; labels?: Record<string, string>; annotations: Record<string, string> }> }> }): { code: number; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'promtool-'));
  try {
    const all = rules.groups.flatMap((g) => g.rules);
    // Several rules may share an alert name (one absence rule per target group): the expected alert's
    // labels pick the rule whose own labels it carries.
    const ruleFor = (alertname: string, labels: Record<string, string>) => {
      const named = all.filter((r) => r.alert === alertname);
      return named.find((r) => Object.entries(r.labels ?? {}).every(([k, v]) => labels[k] === v)) ?? named[0];
    };
    const test = parse(readFileSync(fixture, 'utf8'));
    for (const t of test.tests) {
      for (const art of t.alert_rule_test ?? []) {
        if (!all.some((r) => r.alert === art.alertname)) throw new Error(`fixture ${path.basename(fixture)} tests ${art.alertname}, which the rules do not contain`);
        for (const exp of art.exp_alerts ?? []) {
          const labels = { alertname: art.alertname, ...exp.exp_labels };
          const rule = ruleFor(art.alertname, labels)!;
          exp.exp_annotations = Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, expandTemplate(v, labels, exp.exp_value)]));
          delete exp.exp_value;
        }
      }
    }
    writeFileSync(path.join(dir, 'rules.yaml'), stringify(rules));
    writeFileSync(path.join(dir, 'test.yaml'), stringify(test));
    return promtool(['test', 'rules', 'test.yaml'], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `promtool check rules` on a rule file (a PrometheusRule's spec). */
export function checkRules(rules: unknown): { code: number; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'promtool-'));
  try {
    writeFileSync(path.join(dir, 'rules.yaml'), stringify(rules));
    return promtool(['check', 'rules', 'rules.yaml'], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
