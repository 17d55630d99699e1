import { configError } from './errors';

const MEMORY_UNITS: Record<string, number> = {
  '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4,
  k: 1000, M: 1000 ** 2, G: 1000 ** 3, T: 1000 ** 4,
};

/** Parses a Kubernetes memory quantity (`512Mi`, `4Gi`, `1G`) into bytes; undefined if malformed. */
export function parseMemoryBytes(quantity: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!match) return undefined;
  return Math.floor(Number(match[1]) * MEMORY_UNITS[match[2] ?? '']);
}

/** Parses a Kubernetes CPU quantity (`500m`, `2`, `0.5`) into millicores; undefined if malformed. */
export function parseCpuMillis(quantity: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(m)?$/.exec(quantity);
  if (!match) return undefined;
  return match[2] ? Number(match[1]) : Math.round(Number(match[1]) * 1000);
}

/** Requests and limits for one container. */
export interface ContainerResources {
  /** CPU request, e.g. `500m`. */
  readonly cpuRequest: string;
  /** CPU limit, e.g. `2`. */
  readonly cpuLimit: string;
  /** Memory request, e.g. `1Gi`. */
  readonly memoryRequest: string;
  /** Memory limit, e.g. `4Gi`. Go binaries get GOMEMLIMIT below it. */
  readonly memoryLimit: string;
}

/** Checks quantities parse and requests do not exceed limits. */
export function validateResources(path: string, resources: ContainerResources): void {
  const cpuReq = parseCpuMillis(resources.cpuRequest);
  const cpuLim = parseCpuMillis(resources.cpuLimit);
  const memReq = parseMemoryBytes(resources.memoryRequest);
  const memLim = parseMemoryBytes(resources.memoryLimit);
  const fix = 'use Kubernetes quantities such as cpuRequest "500m", cpuLimit "2", memoryRequest "1Gi", memoryLimit "4Gi"';
  if (cpuReq === undefined || cpuReq <= 0) throw configError(path, 'resources.cpuRequest is not a positive CPU quantity', resources.cpuRequest, fix);
  if (cpuLim === undefined || cpuLim <= 0) throw configError(path, 'resources.cpuLimit is not a positive CPU quantity', resources.cpuLimit, fix);
  if (memReq === undefined || memReq <= 0) throw configError(path, 'resources.memoryRequest is not a positive memory quantity', resources.memoryRequest, fix);
  if (memLim === undefined || memLim <= 0) throw configError(path, 'resources.memoryLimit is not a positive memory quantity', resources.memoryLimit, fix);
  if (cpuReq > cpuLim) throw configError(path, 'resources.cpuRequest exceeds resources.cpuLimit', `${resources.cpuRequest} > ${resources.cpuLimit}`, 'lower the request or raise the limit');
  if (memReq > memLim) throw configError(path, 'resources.memoryRequest exceeds resources.memoryLimit', `${resources.memoryRequest} > ${resources.memoryLimit}`, 'lower the request or raise the limit');
  if (memLim < 64 * 1024 ** 2) throw configError(path, 'resources.memoryLimit is below 64Mi, too little for a Go service', resources.memoryLimit, 'raise memoryLimit');
}

/**
 * GOMEMLIMIT for a Go binary: a share of the container memory limit, in MiB,
 * so the Go GC works harder before the kernel OOM-kills the container.
 */
export function goMemLimit(memoryLimit: string, ratio: number): string {
  const bytes = parseMemoryBytes(memoryLimit);
  if (bytes === undefined) throw new Error(`unparseable memory limit ${memoryLimit}`);
  return `${Math.floor((bytes * ratio) / 1024 ** 2)}MiB`;
}
