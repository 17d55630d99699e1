// Benchmark app: the GitOps environments example scaled to N environments (argv[2]).
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ENVIRONMENTS, TracingEnvironmentSpec, synthGitOpsEnvironments } from '../../examples/gitops-environments/app';
import { GitOpsEnvironment } from '../../lib/k8s';

const n = Number(process.argv[2] ?? '1');
const environments: GitOpsEnvironment<TracingEnvironmentSpec>[] = Array.from({ length: n }, (_, i) => {
  const base = ENVIRONMENTS[i % ENVIRONMENTS.length];
  return { name: `${base.name}-${i + 1}`, spec: base.spec };
});
synthGitOpsEnvironments(process.env.BENCH_OUTDIR ?? mkdtempSync(path.join(tmpdir(), 'bench-gitops-')), environments);
