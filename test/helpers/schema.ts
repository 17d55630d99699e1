import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validates synthesized Kubernetes objects against the strict upstream schemas
 * in ../shared/schemas (Kubernetes 1.28 standalone-strict, CRDs). A kind with
 * no schema fails: coverage stays explicit.
 */
export const SCHEMAS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'schemas');
const CORE_DIR = path.join(SCHEMAS_DIR, 'kubernetes', 'v1.28.0-standalone-strict');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

function getAjv(): Ajv {
  if (!ajv) {
    // Some CRD schemas carry Go regexes with the inline flag (?i) (PrometheusRule partial_response_strategy);
    // JavaScript has no inline flags, so strip it and compile case-insensitively.
    const goRegExp = Object.assign(
      (pattern: string, flags: string) => new RegExp(pattern.replace(/\(\?i\)/g, ''), pattern.includes('(?i)') ? `${flags}i` : flags),
      { code: 'goRegExp' },
    );
    ajv = new Ajv({ strict: false, allErrors: true, code: { regExp: goRegExp as any } });
    addFormats(ajv);
    for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'int-or-string']) ajv.addFormat(f, true);
  }
  return ajv;
}

/** Schema file for an apiVersion/kind, or undefined when we hold none. */
export function schemaFileFor(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const lower = kind.toLowerCase();
  const core = group === '' ? `${lower}-${version}.json` : `${lower}-${group.split('.')[0]}-${version}.json`;
  const corePath = path.join(CORE_DIR, core);
  // Core schemas pin apiVersion with an enum; only accept them for built-in groups.
  if (existsSync(corePath) && !group.includes('.') || existsSync(corePath) && group.endsWith('.k8s.io')) return corePath;
  const crd = path.join(SCHEMAS_DIR, 'crds', group, `${lower}_${version}.json`);
  return existsSync(crd) ? crd : undefined;
}

// Some CRD files ship without additionalProperties:false (elasticsearch_v1); make them strict like the rest.
function strictify(node: unknown): void {
  if (Array.isArray(node)) { node.forEach(strictify); return; }
  if (typeof node !== 'object' || node === null) return;
  const obj = node as Record<string, unknown>;
  if (obj.properties && obj.additionalProperties === undefined && !obj['x-kubernetes-preserve-unknown-fields']) obj.additionalProperties = false;
  Object.values(obj).forEach(strictify);
}

function validatorFor(file: string): ValidateFunction {
  let v = cache.get(file);
  if (!v) {
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    delete schema.$schema;
    if (file.includes(`${path.sep}crds${path.sep}elasticsearch.k8s.elastic.co`)) {
      for (const p of Object.values(schema.properties ?? {})) strictify(p);
    }
    v = getAjv().compile(schema);
    cache.set(file, v);
  }
  return v;
}

/** Returns one message per invalid object or unknown kind; empty when all are valid. */
export function manifestProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const obj of objects) {
    const id = `${obj.kind}/${obj.metadata?.name ?? '?'}`;
    const file = schemaFileFor(obj.apiVersion, obj.kind);
    if (!file) { problems.push(`${id}: no schema for ${obj.apiVersion} ${obj.kind} in ${SCHEMAS_DIR}`); continue; }
    const validate = validatorFor(file);
    if (!validate(obj)) {
      problems.push(`${id}: ${(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` [${e.params.additionalProperty}]` : ''}`).join('; ')}`);
    }
  }
  return problems;
}

/** Jest-friendly: throws with every problem listed. */
export function expectValidManifests(objects: K8sObject[]): void {
  const problems = manifestProblems(objects);
  if (problems.length > 0) throw new Error(`invalid Kubernetes objects:\n${problems.join('\n')}`);
}
