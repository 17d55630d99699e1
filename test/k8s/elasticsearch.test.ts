import { Chart, Testing } from 'cdk8s';
import { ElasticsearchCluster, ElasticsearchClusterProps, Jaeger, JaegerIndexRotation } from '../../lib/k8s';
import { restrictedViolations } from '../helpers/pod-security';
import { expectValidManifests, K8sObject } from '../helpers/schema';
import { configMapYaml, findObject, synthChart } from '../helpers/synth';

function synth(props: ElasticsearchClusterProps = {}, withJaeger = true): K8sObject[] {
  const chart = new Chart(Testing.app(), 'tracing', { namespace: 'tracing', disableResourceNameHashes: true });
  const es = new ElasticsearchCluster(chart, 'Elasticsearch', props);
  if (withJaeger) new Jaeger(chart, 'Jaeger', { storage: es.jaegerStorage(), indexRotation: JaegerIndexRotation.lifecyclePolicy() });
  return synthChart(chart);
}

const custom: ElasticsearchClusterProps = {
  name: 'traces',
  nodeSets: [
    { name: 'masters', count: 3, roles: ['master'], storageSize: '10Gi', resources: { cpuRequest: '500m', cpuLimit: '1', memoryRequest: '2Gi', memoryLimit: '2Gi' } },
    { name: 'data', count: 4, roles: ['data', 'ingest'], storageSize: '500Gi', storageClassName: 'gp3' },
  ],
  jaegerUser: { secretName: 'jaeger-es-user' },
  allowedNamespaces: ['kibana'],
};

describe('Elasticsearch in the cluster (ECK)', () => {
  test.each([['default', {}], ['custom', custom]])('snapshot: %s', (_n, props) => {
    expect(synth(props as ElasticsearchClusterProps)).toMatchSnapshot();
  });

  test.each([['default', {}], ['custom', custom]])('every object (with the ECK Elasticsearch CRD) validates strictly and pods are restricted (%s)', (_n, props) => {
    const objects = synth(props as ElasticsearchClusterProps);
    expect(objects.some((o) => o.kind === 'Elasticsearch')).toBe(true);
    expectValidManifests(objects);
    expect(restrictedViolations(objects)).toEqual([]);
  });

  test('the strict schema really checks the Elasticsearch resource (a typo fails)', () => {
    const objects = synth();
    const es = findObject(objects, 'Elasticsearch', 'elasticsearch') as any;
    es.spec.nodeSets[0].counts = 3;
    expect(() => expectValidManifests([es])).toThrow(/counts/);
  });

  test('Jaeger is wired to ECK: service URL, CA Secret, elastic user Secret, ES major version', () => {
    const objects = synth();
    const es = findObject(objects, 'Elasticsearch', 'elasticsearch') as any;
    expect(es.spec.version).toBe('8.19.16');
    expect(es.spec.nodeSets).toHaveLength(1);
    expect(es.spec.nodeSets[0].config['node.store.allow_mmap']).toBe(false);
    const backend = configMapYaml(objects, 'jaeger-collector-config', 'config.yaml').extensions.jaeger_storage.backends.trace_storage.elasticsearch;
    expect(backend.server_urls).toEqual(['https://elasticsearch-es-http.tracing.svc:9200']);
    expect(backend.tls.ca_file).toBe('/etc/jaeger/es-tls/ca.crt');
    const pod = (findObject(objects, 'Deployment', 'jaeger-query') as any).spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'es-ca', secret: { secretName: 'elasticsearch-es-http-certs-public', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(pod.containers[0].env).toContainEqual({ name: 'ES_USERNAME', value: 'elastic' });
    expect(pod.containers[0].env).toContainEqual({ name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'elasticsearch-es-elastic-user', key: 'elastic' } } });
  });

  test('a dedicated Jaeger user comes from the file realm with a role limited to Jaeger indices', () => {
    const objects = synth(custom);
    const es = findObject(objects, 'Elasticsearch', 'traces') as any;
    expect(es.spec.auth).toEqual({ fileRealm: [{ secretName: 'jaeger-es-user' }], roles: [{ secretName: 'traces-jaeger-role' }] });
    const role = (findObject(objects, 'Secret', 'traces-jaeger-role') as any).stringData['roles.yml'];
    expect(role).toContain('*jaeger-*');
    expect(role).not.toMatch(/password/i);
    const env = (findObject(objects, 'Deployment', 'jaeger-collector') as any).spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'ES_USERNAME', valueFrom: { secretKeyRef: { name: 'jaeger-es-user', key: 'username' } } });
  });

  test('NetworkPolicy: 9200 from Jaeger, the operator and allowed namespaces; 9300 only between nodes', () => {
    const np = findObject(synth(custom), 'NetworkPolicy', 'traces-es') as any;
    const [http, transport] = np.spec.ingress;
    expect(http.ports).toEqual([{ port: 9200, protocol: 'TCP' }]);
    expect(http.from).toEqual(expect.arrayContaining([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jaeger' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'elastic-system' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kibana' } } },
    ]));
    expect(transport).toEqual({ from: [{ podSelector: { matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': 'traces' } } }], ports: [{ port: 9300, protocol: 'TCP' }] });
  });

  const bad: Array<[string, ElasticsearchClusterProps, RegExp]> = [
    ['Elasticsearch 7', { image: 'docker.elastic.co/elasticsearch/elasticsearch:7.17.20' }, /version is not supported by Jaeger 2.20 .*\(got "7.17.20"\)/],
    ['Elasticsearch 8.18', { image: 'docker.elastic.co/elasticsearch/elasticsearch:8.18.3' }, /version is not supported/],
    ['node memory below 2Gi', { nodeSets: [{ name: 'small', resources: { cpuRequest: '1', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '1Gi' } }] }, /memoryLimit is below 2Gi/],
    ['duplicate node set names', { nodeSets: [{ name: 'a' }, { name: 'a' }] }, /duplicate names/],
    ['zero nodes', { nodeSets: [{ name: 'a', count: 0 }] }, /count must be a whole number of at least 1/],
    ['bad storage size', { nodeSets: [{ name: 'a', storageSize: 'lots' }] }, /storageSize is not a storage quantity/],
  ];
  test.each(bad)('bad input: %s', (_n, props, message) => {
    expect(() => synth(props, false)).toThrow(message);
  });
});
