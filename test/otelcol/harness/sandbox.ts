import { FakeKubeApi } from './fake-kube-api';

/**
 * What a collector container gets from Kubernetes that a process on this machine does not: the
 * service-account files at the path client-go's in-cluster config reads (with KUBERNETES_SERVICE_*
 * naming the fake API), and the directories of its volumes at their paths. The process runs in its
 * own mount namespace (unshare, as root) with a private tmpfs on /run and, when volumes are asked for,
 * on /var/lib: the config stays byte-identical and nothing of the host changes.
 */
export interface SandboxOptions {
  readonly binary: string;
  readonly args: readonly string[];
  readonly kube?: FakeKubeApi;
  /** Absolute directories to create (volume mounts); all under /var/lib. */
  readonly directories?: readonly string[];
  /** A memory cgroup to move the process into before it starts. */
  readonly cgroup?: string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function sandboxed(options: SandboxOptions): { argv: string[]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const steps: string[] = [];
  if (options.cgroup) steps.push(`echo $$ > ${quote(`${options.cgroup}/cgroup.procs`)}`);
  if (options.kube) {
    env.KUBERNETES_SERVICE_HOST = options.kube.host;
    env.KUBERNETES_SERVICE_PORT = String(options.kube.port);
    steps.push('mount -t tmpfs tmpfs /run', 'mkdir -p /run/secrets/kubernetes.io/serviceaccount',
      `mount --bind ${quote(options.kube.serviceAccountDir)} /run/secrets/kubernetes.io/serviceaccount`);
  }
  const dirs = options.directories ?? [];
  const outside = dirs.filter((d) => !d.startsWith('/var/lib/'));
  if (outside.length > 0) throw new Error(`sandbox: volume directories outside /var/lib are not provided: ${outside.join(', ')}`);
  if (dirs.length > 0) steps.push('mount -t tmpfs tmpfs /var/lib', `mkdir -p ${dirs.map(quote).join(' ')}`);
  const namespaced = options.kube !== undefined || dirs.length > 0;
  steps.push('exec "$0" "$@"');
  const shell = ['sh', '-c', steps.join(' && '), options.binary, ...options.args];
  return { argv: namespaced ? ['unshare', '--mount', '--propagation', 'private', ...shell] : shell, env };
}
