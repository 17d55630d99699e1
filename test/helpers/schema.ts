import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validates synthesized Kubernetes objects against strict upstream schemas kept in the repository
 * (test/fixtures/upstream, provenance in its README): every built-in kind against BOTH Kubernetes
 * versions we test (1.28, what cdk8s-plus-28 targets, and the newest EKS supports), each derived
 * in memory by scripts/kubernetes-schemas.js the way kubeconform's standalone-strict schemas are;
 * custom resources against their CRD schemas. A kind with no schema fails: coverage stays explicit.
 */
export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures', 'upstream');
const CRDS_DIR = path.join(FIXTURES_DIR, 'crds');

/** Kubernetes versions every built-in object is validated against. */
export const KUBERNETES_VERSIONS = ['1.28.0', '1.35.0'] as const;

interface KubernetesSchemas {
  loadDefinitions(version: string): Record<string, unknown>;
  definitionFor(defs: Record<string, unknown>, apiVersion: string, kind: string): string | undefined;
  strictSchema(defs: Record<string, unknown>, definition: string): Record<string, unknown>;
}
// A plain script (also a command-line tool), so required rather than imported.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kubernetesSchemas = require('../../scripts/kubernetes-schemas') as KubernetesSchemas;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();
const definitions = new Map<string, Record<string, unknown>>();

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

function definitionsOf(version: string): Record<string, unknown> {
  let defs = definitions.get(version);
  if (!defs) {
    defs = kubernetesSchemas.loadDefinitions(version);
    definitions.set(version, defs);
  }
  return defs;
}

/** One schema an object is checked against: a label for messages and how to build it. */
interface SchemaSource { label: string; key: string; load: () => Record<string, unknown> }

/**
 * The schemas for an apiVersion/kind: one per Kubernetes version for a built-in kind (a kind a
 * version does not serve is a problem of that version), or the CRD schema; empty when we hold none.
 */
export function schemasFor(apiVersion: string, kind: string): SchemaSource[] {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const builtIn = !group.includes('.') || group.endsWith('.k8s.io');
  if (builtIn) {
    return KUBERNETES_VERSIONS.map((v) => ({
      label: `Kubernetes ${v}`,
      key: `k8s:${v}:${apiVersion}:${kind}`,
      load: () => {
        const defs = definitionsOf(v);
        const def = kubernetesSchemas.definitionFor(defs, apiVersion, kind);
        if (!def) throw new NotServed(`Kubernetes ${v} does not serve ${apiVersion} ${kind}`);
        return kubernetesSchemas.strictSchema(defs, def);
      },
    }));
  }
  const crd = path.join(CRDS_DIR, group, `${kind.toLowerCase()}_${version}.json`);
  if (!existsSync(crd)) return [];
  return [{
    label: path.relative(FIXTURES_DIR, crd),
    key: crd,
    load: () => {
      const schema = JSON.parse(readFileSync(crd, 'utf8'));
      if (group === 'elasticsearch.k8s.elastic.co') for (const p of Object.values(schema.properties ?? {})) strictify(p);
      return schema;
    },
  }];
}

class NotServed extends Error {}

// Some CRD files ship without additionalProperties:false (elasticsearch_v1); make them strict like the rest.
function strictify(node: unknown): void {
  if (Array.isArray(node)) { node.forEach(strictify); return; }
  if (typeof node !== 'object' || node === null) return;
  const obj = node as Record<string, unknown>;
  if (obj.properties && obj.additionalProperties === undefined && !obj['x-kubernetes-preserve-unknown-fields']) obj.additionalProperties = false;
  Object.values(obj).forEach(strictify);
}

function validatorFor(source: SchemaSource): ValidateFunction {
  let v = cache.get(source.key);
  if (!v) {
    const schema = source.load();
    delete schema.$schema; // ajv does not know http://json-schema.org/schema#
    v = getAjv().compile(schema);
    cache.set(source.key, v);
  }
  return v;
}

function errorText(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` [${e.params.additionalProperty}]` : ''}`).join('; ');
}

/**
 * Returns one message per invalid object or unknown kind; empty when all are valid. A built-in
 * object invalid on several versions with the same errors gets one message naming them all.
 */
export function manifestProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const obj of objects) {
    const id = `${obj.kind}/${obj.metadata?.name ?? '?'}`;
    const sources = schemasFor(obj.apiVersion, obj.kind);
    if (sources.length === 0) { problems.push(`${id}: no schema for ${obj.apiVersion} ${obj.kind} in ${FIXTURES_DIR}`); continue; }
    const byText = new Map<string, string[]>();
    for (const source of sources) {
      let text: string | undefined;
      try {
        const validate = validatorFor(source);
        if (!validate(obj)) text = errorText(validate);
      } catch (error) {
        if (!(error instanceof NotServed)) throw error;
        text = error.message;
      }
      if (text !== undefined) byText.set(text, [...(byText.get(text) ?? []), source.label]);
    }
    for (const [text, labels] of byText) problems.push(`${id} (${labels.join(', ')}): ${text}`);
  }
  return problems;
}

/** Jest-friendly: throws with every problem listed. */
export function expectValidManifests(objects: K8sObject[]): void {
  const problems = manifestProblems(objects);
  if (problems.length > 0) throw new Error(`invalid Kubernetes objects:\n${problems.join('\n')}`);
}
