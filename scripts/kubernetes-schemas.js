#!/usr/bin/env node
// Strict, self-contained JSON schemas per Kubernetes kind, derived from the upstream
// `_definitions.json` of one Kubernetes version (test/fixtures/upstream/kubernetes/vX.Y.Z/).
// The same five rules kubeconform's "standalone-strict" schemas follow, so a manifest with an
// unknown or misspelt field fails:
//   1. every $ref is replaced by the definition it names (a sibling description is dropped; a
//      reference back into a definition being expanded becomes {});
//   2. an optional field becomes nullable: "type": T turns into [T, "null"] unless the field is
//      listed in the enclosing object's `required`; the root keeps "type": "object";
//   3. every object schema with `properties` and no `additionalProperties` gets
//      "additionalProperties": false;
//   4. the root's properties.apiVersion gets an enum from x-kubernetes-group-version-kind;
//   5. "$schema" is appended last; files are written with a 2-space indent and a final newline.
//
// The tests derive in memory (test/helpers/schema.ts), for any built-in kind by its apiVersion and
// kind; the command line writes files named as kubeconform names them:
//   node scripts/kubernetes-schemas.js VERSION OUTDIR [KIND_FILE...]   e.g. 1.35.0 /tmp/k8s-1.35
//   (KIND_FILE like deployment-apps-v1; default: every kind in KINDS)
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const UPSTREAM_DIR = path.resolve(__dirname, '..', 'test', 'fixtures', 'upstream', 'kubernetes');

/** The kinds our manifests use: file name (kubeconform's naming) -> definition name. */
const KINDS = {
  'clusterrole-rbac-v1': 'io.k8s.api.rbac.v1.ClusterRole',
  'clusterrolebinding-rbac-v1': 'io.k8s.api.rbac.v1.ClusterRoleBinding',
  'configmap-v1': 'io.k8s.api.core.v1.ConfigMap',
  'cronjob-batch-v1': 'io.k8s.api.batch.v1.CronJob',
  'daemonset-apps-v1': 'io.k8s.api.apps.v1.DaemonSet',
  'deployment-apps-v1': 'io.k8s.api.apps.v1.Deployment',
  'horizontalpodautoscaler-autoscaling-v2': 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  'ingress-networking-v1': 'io.k8s.api.networking.v1.Ingress',
  'ingressclass-networking-v1': 'io.k8s.api.networking.v1.IngressClass',
  'job-batch-v1': 'io.k8s.api.batch.v1.Job',
  'namespace-v1': 'io.k8s.api.core.v1.Namespace',
  'networkpolicy-networking-v1': 'io.k8s.api.networking.v1.NetworkPolicy',
  'persistentvolumeclaim-v1': 'io.k8s.api.core.v1.PersistentVolumeClaim',
  'poddisruptionbudget-policy-v1': 'io.k8s.api.policy.v1.PodDisruptionBudget',
  'role-rbac-v1': 'io.k8s.api.rbac.v1.Role',
  'rolebinding-rbac-v1': 'io.k8s.api.rbac.v1.RoleBinding',
  'secret-v1': 'io.k8s.api.core.v1.Secret',
  'service-v1': 'io.k8s.api.core.v1.Service',
  'serviceaccount-v1': 'io.k8s.api.core.v1.ServiceAccount',
  'statefulset-apps-v1': 'io.k8s.api.apps.v1.StatefulSet',
};

const REF_PREFIX = '#/definitions/';

/** Parsed `definitions` of a Kubernetes version held in the fixtures, e.g. '1.35.0'. */
function loadDefinitions(version, dir = UPSTREAM_DIR) {
  const file = path.join(dir, `v${version}`, '_definitions.json');
  if (!fs.existsSync(file)) throw new Error(`no Kubernetes ${version} definitions at ${file}`);
  return JSON.parse(fs.readFileSync(file, 'utf8')).definitions;
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One schema node, rules 1-3 applied. `required` says whether this node is a property its parent
 * object lists in `required`; `expanding` holds the definitions on the current $ref path.
 */
function convert(node, defs, required, expanding) {
  if (!isObject(node)) return node;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.startsWith(REF_PREFIX) ? node.$ref.slice(REF_PREFIX.length) : undefined;
    if (!name || !(name in defs)) throw new Error(`unresolvable $ref ${node.$ref}`);
    if (expanding.includes(name)) return {};
    return convert(defs[name], defs, required, [...expanding, name]);
  }
  const requiredNames = Array.isArray(node.required) ? node.required : [];
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' && typeof value === 'string') {
      out[key] = required || value === 'null' ? value : [value, 'null'];
    } else if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value)
        .map(([name, prop]) => [name, convert(prop, defs, requiredNames.includes(name), expanding)]));
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      out[key] = convert(value, defs, false, expanding);
    } else if (['oneOf', 'anyOf', 'allOf'].includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => convert(v, defs, false, expanding));
    } else if (key === 'not' && isObject(value)) {
      out[key] = convert(value, defs, false, expanding);
    } else {
      out[key] = value;
    }
  }
  if (isObject(out.properties) && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

/** Name of the definition serving apiVersion/kind, or undefined when this Kubernetes version has none. */
function definitionFor(defs, apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return Object.keys(defs).find((name) => (defs[name]['x-kubernetes-group-version-kind'] ?? [])
    .some((g) => g.group === group && g.version === version && g.kind === kind));
}

/** The standalone-strict schema of one definition (e.g. 'io.k8s.api.apps.v1.Deployment'). */
function strictSchema(defs, definition) {
  const def = defs[definition];
  if (!def) throw new Error(`no definition ${definition}`);
  // The root is always "type": "object" (rule 2); convert treats it as required for that reason.
  const schema = convert(def, defs, true, [definition]);
  const gvks = def['x-kubernetes-group-version-kind'] ?? [];
  if (schema.properties?.apiVersion && gvks.length > 0) {
    const versions = [...new Set(gvks.map((g) => (g.group ? `${g.group}/${g.version}` : g.version)))];
    schema.properties.apiVersion.enum = versions;
  }
  schema.$schema = 'http://json-schema.org/schema#';
  return schema;
}

/** The file text for a schema, formatted as the kubeconform schemas are. */
function schemaText(schema) {
  // Python's json.dumps (which made the reference files) escapes non-ASCII characters.
  return `${JSON.stringify(schema, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

module.exports = { KINDS, UPSTREAM_DIR, loadDefinitions, definitionFor, strictSchema, schemaText };

if (require.main === module) {
  const [version, outDir, ...only] = process.argv.slice(2);
  if (!version || !outDir) {
    process.stderr.write('usage: node scripts/kubernetes-schemas.js VERSION OUTDIR [KIND_FILE...]\n');
    process.exit(2);
  }
  const defs = loadDefinitions(version);
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of only.length > 0 ? only : Object.keys(KINDS)) {
    if (!KINDS[file]) throw new Error(`unknown kind file ${file}; known: ${Object.keys(KINDS).join(', ')}`);
    fs.writeFileSync(path.join(outDir, `${file}.json`), schemaText(strictSchema(defs, KINDS[file])));
  }
  process.stdout.write(`wrote ${only.length || Object.keys(KINDS).length} schema(s) for Kubernetes ${version} to ${outDir}\n`);
}
