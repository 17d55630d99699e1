import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  Jaeger, JaegerChart, JaegerChartProps, JaegerIndexRotation, JaegerStorage, Retention, SamplingStrategy, TraceSampling,
} from '../../lib/k8s';
import { restrictedViolations } from '../helpers/pod-security';
import { expectValidManifests, K8sObject } from '../helpers/schema';
import { configMapYaml, findObject, synthChart } from '../helpers/synth';

const ES_URL = 'https://tracing-es-http.tracing.svc:9200';
const esStorage = JaegerStorage.elasticsearch({
  serverUrls: [ES_URL],
  basicAuth: { secretName: 'tracing-es-elastic-user', username: 'elastic', passwordKey: 'elastic' },
  tls: { caSecretName: 'tracing-es-http-certs-public' },
});
const osStorage = JaegerStorage.opensearch({
  serverUrls: ['https://search.example.com'],
  basicAuth: { secretName: 'jaeger-os-credentials' },
});

function synth(props: Partial<JaegerChartProps> = {}): K8sObject[] {
  const app = Testing.app();
  const chart = new JaegerChart(app, 'jaeger', { namespace: 'tracing', storage: esStorage, ...props });
  return synthChart(chart);
}

const variants: Array<[string, Partial<JaegerChartProps>]> = [
  ['daily (default)', {}],
  ['manual rollover', { indexRotation: JaegerIndexRotation.rollover({ maxAge: '12h' }), indexPrefix: 'prod' }],
  ['ILM lifecycle policy', { indexRotation: JaegerIndexRotation.lifecyclePolicy(), indexPrefix: 'prod' }],
  ['ISM lifecycle policy on OpenSearch', { storage: osStorage, indexRotation: JaegerIndexRotation.lifecyclePolicy({ maxAge: '6h' }) }],
  ['with spark dependencies', {
    storage: osStorage, indexPrefix: 'prod', dependencies: {},
    query: { basePath: '/jaeger' }, legacyReceivers: false, allowedNamespaces: ['apps', 'monitoring'],
  }],
  ['sigv4 without cleaner', {
    storage: JaegerStorage.opensearch({ serverUrls: ['https://vpc-tracing-abc.eu-west-1.es.amazonaws.com'], sigv4: { region: 'eu-west-1' } }),
    indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }),
  }],
];

const cfg = (objects: K8sObject[], role: 'collector' | 'query') => configMapYaml(objects, `jaeger-${role}-config`, 'config.yaml');
const backend = (config: any) => {
  const b = config.extensions.jaeger_storage.backends.trace_storage;
  return b.elasticsearch ?? b.opensearch;
};
const cronJobs = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'CronJob') as any[];
const container = (obj: any) => (obj.kind === 'CronJob' ? obj.spec.jobTemplate.spec.template.spec : obj.spec.template.spec).containers[0];
const argValue = (args: string[], flag: string) => args.find((a) => a.startsWith(`${flag}=`))?.split('=').slice(1).join('=');

describe('Jaeger v2 on Elasticsearch/OpenSearch (Kubernetes)', () => {
  test.each(variants)('snapshot: %s', (_name, props) => {
    expect(synth(props)).toMatchSnapshot();
  });

  test.each(variants)('every object validates against the strict 1.28 schemas (%s)', (_name, props) => {
    expectValidManifests(synth(props));
  });

  test.each(variants)('every pod template meets Pod Security Standard "restricted" (%s)', (_name, props) => {
    expect(restrictedViolations(synth(props))).toEqual([]);
  });

  test('collector and query read the same indices: same backend block except create_mappings', () => {
    for (const [, props] of variants) {
      const objects = synth(props);
      const c = backend(cfg(objects, 'collector'));
      const q = backend(cfg(objects, 'query'));
      expect({ ...q, create_mappings: undefined }).toEqual({ ...c, create_mappings: undefined });
      expect(q.create_mappings).toBe(false);
    }
  });

  test('the collector creates templates only with daily indices; with rollover es-rollover init owns them', () => {
    expect(backend(cfg(synth(), 'collector')).create_mappings).toBe(true);
    expect(backend(cfg(synth(variants[1][1]), 'collector')).create_mappings).toBe(false);
    expect(backend(cfg(synth(variants[2][1]), 'collector')).create_mappings).toBe(false);
  });

  test.each([[1, 1], [7, 7], [30, 30]])('retention of %i days: max_span_age, cleaner days and rollover agree', (days) => {
    const objects = synth({ retention: Retention.days(days), indexPrefix: 'prod' });
    expect(backend(cfg(objects, 'collector')).max_span_age).toBe(`${days * 24}h`);
    expect(backend(cfg(objects, 'query')).max_span_age).toBe(`${days * 24}h`);
    const cleaner = container(findObject(objects, 'CronJob', 'jaeger-es-index-cleaner'));
    expect(cleaner.args[0]).toBe(String(days));
    // At least one day: the cleaner cuts off at now - N days by creation time, so today's index is never deleted.
    expect(Number(cleaner.args[0])).toBeGreaterThanOrEqual(1);
    expect(cleaner.args[1]).toBe(ES_URL);
    expect(argValue(cleaner.args, '--index-prefix')).toBe('prod');
  });

  test('retention in hours rounds the cleaner up to whole days, never down', () => {
    const objects = synth({ retention: Retention.hours(36) });
    expect(container(findObject(objects, 'CronJob', 'jaeger-es-index-cleaner')).args[0]).toBe('2');
    expect(backend(cfg(objects, 'collector')).max_span_age).toBe('36h');
  });

  test('daily indices: periodic rotation, cleaner without --rollover, no rollover jobs', () => {
    const objects = synth();
    const indices = backend(cfg(objects, 'collector')).indices;
    for (const t of ['spans', 'services', 'dependencies', 'sampling']) expect(Object.keys(indices[t].rotation)).toEqual(['periodic']);
    expect(cronJobs(objects).map((c) => c.metadata.name)).toEqual(['jaeger-es-index-cleaner']);
    expect(argValue(container(cronJobs(objects)[0]).args, '--rollover')).toBe('false');
    expect(objects.some((o) => o.kind === 'Job')).toBe(false);
  });

  test('manual rollover: cleaner with --rollover, rollover and lookback CronJobs, an init Job, all on the same prefix', () => {
    const objects = synth(variants[1][1]);
    const indices = backend(cfg(objects, 'collector')).indices;
    for (const t of ['spans', 'services', 'dependencies']) expect(indices[t].rotation).toEqual({ manual_rollover: {} });
    const jobs = Object.fromEntries(cronJobs(objects).map((c) => [c.metadata.name, container(c)]));
    expect(Object.keys(jobs).sort()).toEqual(['jaeger-es-index-cleaner', 'jaeger-es-lookback', 'jaeger-es-rollover']);
    expect(argValue(jobs['jaeger-es-index-cleaner'].args, '--rollover')).toBe('true');
    expect(jobs['jaeger-es-rollover'].args.slice(0, 2)).toEqual(['rollover', ES_URL]);
    expect(jobs['jaeger-es-rollover'].env).toContainEqual({ name: 'CONDITIONS', value: '{"max_age":"12h"}' });
    expect(jobs['jaeger-es-lookback'].env).toContainEqual({ name: 'UNIT_COUNT', value: '7' });
    const init = objects.find((o) => o.kind === 'Job') as any;
    expect(init.metadata.name).toMatch(/^jaeger-es-rollover-init-[0-9a-f]{8}$/);
    const initArgs: string[] = container(init).args;
    expect(initArgs.slice(0, 2)).toEqual(['init', ES_URL]);
    expect(initArgs).not.toContain('--es.use-ilm=true');
    for (const c of [...Object.values(jobs), container(init)]) expect(argValue(c.args, '--index-prefix')).toBe('prod');
    expect(indices.index_prefix).toBe('prod');
  });

  test('ILM lifecycle policy: no CronJobs, a policy init container before es-rollover init --es.use-ilm', () => {
    const objects = synth(variants[2][1]);
    expect(cronJobs(objects)).toEqual([]);
    const indices = backend(cfg(objects, 'collector')).indices;
    expect(indices.spans.rotation).toEqual({ auto_rollover: { policy_name: 'jaeger-rollover-policy' } });
    const init = objects.find((o) => o.kind === 'Job') as any;
    const pod = init.spec.template.spec;
    expect(pod.containers[0].args).toEqual(expect.arrayContaining(['--es.use-ilm=true', '--es.ilm-policy-name=jaeger-rollover-policy']));
    const put = pod.initContainers[0];
    expect(put.env).toContainEqual({ name: 'POLICY_URL', value: `${ES_URL}/_ilm/policy/jaeger-rollover-policy` });
    const policy = JSON.parse((findObject(objects, 'ConfigMap', 'jaeger-rollover-policy') as any).data['policy.json']);
    expect(policy.policy.phases.delete.min_age).toBe('168h');
    expect(policy.policy.phases.hot.actions.rollover.max_age).toBe('1d');
  });

  test('ISM lifecycle policy on OpenSearch: policy deletes after the retention and attaches to Jaeger indices', () => {
    const objects = synth(variants[3][1]);
    const policy = JSON.parse((findObject(objects, 'ConfigMap', 'jaeger-rollover-policy') as any).data['policy.json']).policy;
    expect(policy.states[0].actions).toEqual([{ rollover: { min_index_age: '6h' } }]);
    expect(policy.states[0].transitions[0].conditions).toEqual({ min_rollover_age: '168h' });
    expect(policy.ism_template[0].index_patterns).toEqual(['jaeger-span-*', 'jaeger-service-*', 'jaeger-dependencies-*']);
    const put = (objects.find((o) => o.kind === 'Job') as any).spec.template.spec.initContainers[0];
    expect(put.args[0]).toContain('if_seq_no');
  });

  test('credentials appear only as Secret references: never in a ConfigMap, never as a literal env value', () => {
    for (const [, props] of variants) {
      const objects = synth(props);
      for (const cm of objects.filter((o) => o.kind === 'ConfigMap') as any[]) {
        for (const text of Object.values<string>(cm.data ?? {})) {
          expect(text).not.toMatch(/password:\s*(?!\$\{env:ES_PASSWORD\})\S/);
        }
      }
      for (const o of objects) {
        const spec = o.kind === 'CronJob' ? (o as any).spec.jobTemplate.spec.template.spec : (o as any).spec?.template?.spec;
        for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
          for (const e of c.env ?? []) {
            if (/PASSWORD/.test(e.name)) {
              expect(e.value).toBeUndefined();
              expect(e.valueFrom.secretKeyRef.name).toBeDefined();
            }
          }
        }
      }
    }
    const collector = cfg(synth(), 'collector');
    expect(backend(collector).auth).toEqual({ basic: { username: '${env:ES_USERNAME}', password: '${env:ES_PASSWORD}' } });
  });

  test('TLS: the CA Secret is mounted where the config and the CLIs look for it', () => {
    const objects = synth(variants[1][1]);
    expect(backend(cfg(objects, 'collector')).tls).toEqual({ ca_file: '/etc/jaeger/es-tls/ca.crt' });
    const deploy = findObject(objects, 'Deployment', 'jaeger-collector') as any;
    expect(deploy.spec.template.spec.volumes).toContainEqual({
      name: 'es-ca', secret: { secretName: 'tracing-es-http-certs-public', items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    });
    const cleaner = container(findObject(objects, 'CronJob', 'jaeger-es-index-cleaner'));
    expect(cleaner.args).toEqual(expect.arrayContaining(['--es.tls.enabled=true', '--es.tls.ca=/etc/jaeger/es-tls/ca.crt']));
    expect(cleaner.volumeMounts).toContainEqual({ name: 'es-ca', mountPath: '/etc/jaeger/es-tls', readOnly: true });
  });

  test('every Service port matches the rendered config, a named container port, and the NetworkPolicy', () => {
    for (const [, props] of variants) {
      const objects = synth(props);
      for (const role of ['collector', 'query'] as const) {
        const config = cfg(objects, role);
        const endpoints: string[] = [];
        const walk = (n: any) => {
          if (n && typeof n === 'object') {
            for (const [k, v] of Object.entries(n)) {
              if (k === 'endpoint' && typeof v === 'string') endpoints.push(v);
              else walk(v);
            }
          }
        };
        walk(config.receivers);
        walk(config.extensions);
        for (const e of endpoints) expect(e).toMatch(/^0\.0\.0\.0:\d+$/);
        const prom = config.service.telemetry.metrics.readers[0].pull.exporter.prometheus;
        const configPorts = new Set([...endpoints.map((e) => Number(e.split(':')[1])), prom.port]);
        expect(prom.host).toBe('0.0.0.0');
        const service = findObject(objects, 'Service', `jaeger-${role}`) as any;
        const servicePorts: number[] = service.spec.ports.map((p: any) => p.port);
        // Every Service port is served by the config; the health port is the only config port not on the Service.
        for (const p of servicePorts) expect(configPorts).toContain(p);
        expect([...configPorts].filter((p) => !servicePorts.includes(p))).toEqual([13133]);
        const c = container(findObject(objects, 'Deployment', `jaeger-${role}`));
        const named = new Map<string, any>(c.ports.map((p: any) => [p.name, p]));
        for (const sp of service.spec.ports) expect(named.get(sp.targetPort)?.containerPort).toBe(sp.port);
        const np = findObject(objects, 'NetworkPolicy', `jaeger-${role}`) as any;
        expect(np.spec.ingress[0].ports.map((p: any) => p.port).sort()).toEqual([...servicePorts].sort());
        expect(np.spec.podSelector.matchLabels).toEqual(service.spec.selector);
      }
    }
  });

  test('sampling ports 5778 and 5779 are served and fed by the shared sampling model', () => {
    const sampling = TraceSampling.of({
      baselineRatio: 0.2,
      services: [{ service: 'payment-service', strategy: SamplingStrategy.timesBaseline(3) }],
      defaultOperations: [{ operation: 'GET /health', ratio: 0 }],
    });
    const objects = synth({ sampling });
    const collector = cfg(objects, 'collector');
    expect(collector.extensions.remote_sampling.file.path).toBe('/etc/jaeger/sampling/sampling-strategies.json');
    const strategies = JSON.parse((findObject(objects, 'ConfigMap', 'jaeger-sampling-strategies') as any).data['sampling-strategies.json']);
    expect(strategies.default_strategy).toEqual({ type: 'probabilistic', param: 0.2, operation_strategies: [{ operation: 'GET /health', type: 'probabilistic', param: 0 }] });
    expect(strategies.service_strategies[0].service).toBe('payment-service');
    expect(strategies.service_strategies[0].param).toBeCloseTo(0.6);
    const ports = (findObject(objects, 'Service', 'jaeger-collector') as any).spec.ports.map((p: any) => p.port);
    expect(ports).toEqual(expect.arrayContaining([5778, 5779]));
    // Changing the strategies does not roll the collector (Jaeger reloads the file).
    const checksum = (o: K8sObject[]) => (findObject(o, 'Deployment', 'jaeger-collector') as any).spec.template.metadata.annotations['checksum/config'];
    expect(checksum(objects)).toBe(checksum(synth()));
  });

  test('collector: HPA owns the replica count, PDB, memory_limiter first, GOMEMLIMIT below the limit', () => {
    const objects = synth({ collector: { minReplicas: 3, maxReplicas: 12 } });
    const deploy = findObject(objects, 'Deployment', 'jaeger-collector') as any;
    expect(deploy.spec.replicas).toBeUndefined();
    const hpa = findObject(objects, 'HorizontalPodAutoscaler', 'jaeger-collector') as any;
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 12, scaleTargetRef: { kind: 'Deployment', name: 'jaeger-collector' } });
    expect((findObject(objects, 'PodDisruptionBudget', 'jaeger-collector') as any).spec.selector.matchLabels).toEqual(deploy.spec.selector.matchLabels);
    const config = cfg(objects, 'collector');
    expect(config.service.pipelines.traces.processors[0]).toBe('memory_limiter');
    const c = container(deploy);
    expect(c.env).toContainEqual({ name: 'GOMEMLIMIT', value: '1740MiB' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/status', port: 'health' });
    expect(c.image).toBe('docker.io/jaegertracing/jaeger:2.20.0');
    expect(c.args).toEqual(['--config=/etc/jaeger/config.yaml']);
  });

  test('query: UI base path, nop pipeline, PDB only with more than one replica', () => {
    const objects = synth({ query: { basePath: '/jaeger', replicas: 1 } });
    const config = cfg(objects, 'query');
    expect(config.extensions.jaeger_query.base_path).toBe('/jaeger');
    expect(config.service.pipelines.traces).toEqual({ receivers: ['nop'], exporters: ['nop'] });
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata?.name === 'jaeger-query')).toBe(false);
    expect(synth().some((o) => o.kind === 'PodDisruptionBudget' && o.metadata?.name === 'jaeger-query')).toBe(true);
  });

  test('sigv4: sigv4auth extension, authenticator on the backend, AWS_REGION, no retention jobs', () => {
    const objects = synth(variants[5][1]);
    const config = cfg(objects, 'collector');
    expect(config.extensions.sigv4auth).toEqual({ region: 'eu-west-1', service: 'es' });
    expect(config.service.extensions).toContain('sigv4auth');
    expect(backend(config).auth).toEqual({ authenticator: 'sigv4auth' });
    expect(container(findObject(objects, 'Deployment', 'jaeger-query')).env).toContainEqual({ name: 'AWS_REGION', value: 'eu-west-1' });
    expect(cronJobs(objects)).toEqual([]);
  });

  test('spark-dependencies: variant, OS_* environment, aliases only with rollover, credentials from the Secret', () => {
    const objects = synth(variants[4][1]);
    const spark = container(findObject(objects, 'CronJob', 'jaeger-spark-dependencies'));
    expect(spark.image).toBe('ghcr.io/jaegertracing/spark-dependencies/spark-dependencies:v0.7.2-opensearch');
    const env = Object.fromEntries(spark.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.OS_NODES).toBe('https://search.example.com');
    expect(env.OS_INDEX_PREFIX).toBe('prod');
    expect(env.OS_NODES_WAN_ONLY).toBe('true');
    expect(env.OS_USE_ALIASES).toBeUndefined();
    expect(env.OS_PASSWORD).toEqual({ secretKeyRef: { name: 'jaeger-os-credentials', key: 'password' } });
    const rolled = synth({ ...variants[1][1], dependencies: { trustStore: { secretName: 'es-truststore' } } });
    const sparkEs = container(findObject(rolled, 'CronJob', 'jaeger-spark-dependencies'));
    expect(sparkEs.image.endsWith('-elasticsearch8')).toBe(true);
    expect(sparkEs.env).toContainEqual({ name: 'ES_USE_ALIASES', value: 'true' });
    expect(sparkEs.env.find((e: any) => e.name === 'JAVA_OPTS').value).toContain('-Djavax.net.ssl.trustStore=/etc/jaeger/truststore/truststore.p12');
  });

  test('an upgrade renames the rollover init Job: its pod template is immutable, so the name follows all of it', () => {
    // The real API server refused the upgrade of the old Job (named after the init invocation only):
    // a new es-rollover image changes the template's image and version label, "spec.template: field is immutable".
    const rotation = { indexRotation: JaegerIndexRotation.lifecyclePolicy(), indexPrefix: 'prod' };
    const jobOf = (objects: K8sObject[]) => objects.find((o) => o.kind === 'Job') as any;
    const before = jobOf(synth(rotation));
    let upgraded: any;
    jest.isolateModules(() => {
      jest.doMock('../../lib/core/versions', () => {
        const actual = jest.requireActual('../../lib/core/versions');
        return { ...actual, IMAGES: { ...actual.IMAGES, jaegerEsRollover: 'docker.io/jaegertracing/jaeger-es-rollover:9.9.9' } };
      });
      const fresh = require('../../lib/k8s') as typeof import('../../lib/k8s');
      const chart = new fresh.JaegerChart(require('cdk8s').Testing.app(), 'jaeger', { namespace: 'tracing', storage: fresh.JaegerStorage.elasticsearch({
        serverUrls: [ES_URL], basicAuth: { secretName: 'tracing-es-elastic-user', username: 'elastic', passwordKey: 'elastic' }, tls: { caSecretName: 'tracing-es-http-certs-public' },
      }), indexRotation: fresh.JaegerIndexRotation.lifecyclePolicy(), indexPrefix: 'prod' });
      upgraded = jobOf(chart.toJson());
    });
    expect(upgraded.spec.template.metadata.labels['app.kubernetes.io/version']).toBe('9.9.9');
    expect(upgraded.metadata.name).not.toBe(before.metadata.name);
    expect(jobOf(synth(rotation)).metadata.name).toBe(before.metadata.name);
  });

  test('config change rolls the pods: checksum follows the config', () => {
    const checksum = (o: K8sObject[], role: string) => (findObject(o, 'Deployment', `jaeger-${role}`) as any).spec.template.metadata.annotations['checksum/config'];
    expect(checksum(synth(), 'query')).toBe(checksum(synth(), 'query'));
    expect(checksum(synth({ retention: Retention.days(3) }), 'query')).not.toBe(checksum(synth(), 'query'));
  });

  test('the rendered config is plain YAML Jaeger can read: no anchors, endpoints quoted as strings', () => {
    const cm = findObject(synth(), 'ConfigMap', 'jaeger-collector-config') as any;
    expect(cm.data['config.yaml']).not.toMatch(/[&*]\w+\s/);
    expect(typeof parse(cm.data['config.yaml']).receivers.otlp.protocols.grpc.endpoint).toBe('string');
  });

  test('standard labels on every object', () => {
    for (const obj of synth(variants[4][1])) {
      if (obj.kind === 'Namespace') continue;
      expect(Object.keys(obj.metadata?.labels ?? {})).toEqual(expect.arrayContaining([
        'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component',
        'app.kubernetes.io/version', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by']));
    }
  });

  test('endpoints computed for clients and Grafana', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'obs' });
    const jaeger = new Jaeger(chart, 'Jaeger', { storage: osStorage, query: { basePath: '/jaeger' } });
    expect(jaeger.otlpGrpcEndpoint).toBe('jaeger-collector.obs.svc.cluster.local:4317');
    expect(jaeger.samplingGrpcEndpoint).toBe('http://jaeger-collector.obs.svc.cluster.local:5779');
    expect(jaeger.queryUrl).toBe('http://jaeger-query.obs.svc.cluster.local:16686/jaeger');
  });

  describe('bad input is rejected with a specific message', () => {
    const osSigv4 = (extra: object = {}) => JaegerStorage.opensearch({ serverUrls: ['https://vpc-x.eu-west-1.es.amazonaws.com'], sigv4: { region: 'eu-west-1' }, ...extra });
    const cases: Array<[string, Partial<JaegerChartProps>, RegExp]> = [
      ['retention shorter than one day', { retention: Retention.hours(12) }, /retention is shorter than one day.*\(got "12 hours"\); use Retention.days\(1\)/],
      ['retention not whole hours', { retention: Retention.hours(30.5) }, /retention must be a whole number of hours/],
      ['index prefix with uppercase', { indexPrefix: 'Prod' }, /indexPrefix is not a valid start of an Elasticsearch index name \(got "Prod"\)/],
      ['index prefix starting with _', { indexPrefix: '_jaeger' }, /indexPrefix is not a valid start/],
      ['index prefix ending in -', { indexPrefix: 'prod-' }, /indexPrefix.*\(got "prod-"\).*not ending in "-"/],
      ['https to in-cluster host without CA', { storage: JaegerStorage.elasticsearch({ serverUrls: ['https://es-http.tracing.svc:9200'] }) },
        /https URL to a host inside the cluster needs a CA.*tls.caSecretName/],
      ['tls with http URL', { storage: JaegerStorage.elasticsearch({ serverUrls: ['http://es:9200'], tls: { caSecretName: 'ca' } }) },
        /tls is set but the server URLs use plain http/],
      ['IAM auth together with basic auth', { storage: osSigv4({ basicAuth: { secretName: 's' } }), indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }) },
        /sets both basicAuth and sigv4/],
      ['sigv4 with the index cleaner on', { storage: osSigv4() }, /es-index-cleaner cannot sign SigV4.*indexCleaner: false/],
      ['sigv4 with rollover', { storage: osSigv4(), indexRotation: JaegerIndexRotation.lifecyclePolicy() }, /es-rollover cannot sign SigV4/],
      ['sigv4 on elasticsearch', { storage: JaegerStorage.elasticsearch({ serverUrls: ['https://es.example.com'], sigv4: { region: 'eu-west-1' } }) },
        /sigv4 is set on an elasticsearch backend/],
      ['sigv4 with a bad region', { storage: osSigv4({ sigv4: { region: 'europe' } }), indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }) },
        /sigv4.region is not an AWS region \(got "europe"\)/],
      ['empty server URLs', { storage: JaegerStorage.opensearch({ serverUrls: [] }) }, /storage.serverUrls is empty/],
      ['server URL with a path', { storage: JaegerStorage.opensearch({ serverUrls: ['http://es:9200/x'] }) }, /not an http\(s\) URL of a host/],
      ['mixed schemes', { storage: JaegerStorage.opensearch({ serverUrls: ['http://a:9200', 'https://b.example.com'] }) }, /mix http and https/],
      ['Elasticsearch 7', { storage: JaegerStorage.elasticsearch({ serverUrls: ['http://es:9200'], majorVersion: 7 }) }, /majorVersion must be 8 or 9/],
      ['rollover maxAge not shorter than retention', { retention: Retention.days(1), indexRotation: JaegerIndexRotation.rollover({ maxAge: '2d' }) },
        /maxAge is not shorter than the retention/],
      ['rollover maxAge not a time unit', { indexRotation: JaegerIndexRotation.lifecyclePolicy({ maxAge: '1 day' }) }, /maxAge is not an Elasticsearch time unit/],
      ['bad policy name', { indexRotation: JaegerIndexRotation.lifecyclePolicy({ policyName: 'Jaeger Policy' }) }, /policyName is not a valid policy name/],
      ['bad cleaner schedule', { indexRotation: JaegerIndexRotation.daily({ cleanerSchedule: 'daily' }) }, /cleaner schedule is not a five-field cron/],
      ['daily cleaner early in the day', { indexRotation: JaegerIndexRotation.daily({ cleanerSchedule: '0 1 * * *' }) },
        /the daily index cleaner must run in the last hour of the UTC day, or it deletes spans up to a day before the retention \(got "0 1 \* \* \*"\); use a schedule in hour 23/],
      ['cleaner schedule with cleaner off', { indexRotation: JaegerIndexRotation.daily({ indexCleaner: false, cleanerSchedule: '0 1 * * *' }) },
        /sets cleanerSchedule but turns the index cleaner off/],
      ['base path with trailing slash', { query: { basePath: '/jaeger/' } }, /query.basePath must start with "\/", not end with "\/"/],
      ['HPA max below min', { collector: { minReplicas: 4, maxReplicas: 2 } }, /collector.maxReplicas is below collector.minReplicas/],
      ['spark with a private CA and no trust store', { dependencies: {} }, /spark-dependencies is Java and cannot read the PEM CA.*trustStore/],
      ['spark on an IAM-only domain', { storage: osSigv4(), indexRotation: JaegerIndexRotation.daily({ indexCleaner: false }), dependencies: {} },
        /spark-dependencies cannot sign SigV4/],
      ['username twice', { storage: JaegerStorage.opensearch({ serverUrls: ['http://os:9200'], basicAuth: { secretName: 's', username: 'u', usernameKey: 'k' } }) },
        /basicAuth sets both username and usernameKey/],
      ['zero span shards', { spanShards: 0 }, /spanShards must be a whole number of at least 1/],
      ['allowed namespace not a DNS label', { allowedNamespaces: ['Apps'] }, /allowedNamespaces entry must be a DNS label/],
    ];
    test.each(cases)('%s', (_name, props, message) => {
      expect(() => synth(props)).toThrow(message);
    });

    test('every message names the construct path', () => {
      expect(() => synth({ retention: Retention.hours(12) })).toThrow(/^\[jaeger\/Jaeger\] /);
    });

    test('a chart without namespace is rejected with the fix', () => {
      const chart = new Chart(new App(), 'nons');
      expect(() => new Jaeger(chart, 'Jaeger', { storage: osStorage })).toThrow(/\[nons\/Jaeger\] the chart holding Jaeger has no namespace/);
    });
  });
});
