import { ApiObject, Chart } from 'cdk8s';
// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { validateDnsLabel } from '../core/names';
import { ContainerResources, parseMemoryBytes, validateResources } from '../core/quantities';
import { IMAGES, versionOfImage } from '../core/versions';
import { toYaml } from '../render/yaml';
import { JaegerStorage } from './jaeger-storage';
import { standardLabels } from './labels';

/** HTTP port of Elasticsearch. */
export const ELASTICSEARCH_HTTP_PORT = 9200;
/** Transport port between Elasticsearch nodes. */
export const ELASTICSEARCH_TRANSPORT_PORT = 9300;

/** One group of identical Elasticsearch nodes. */
export interface ElasticsearchNodeSet {
  /** Name of the node set (a DNS label). */
  readonly name: string;
  /**
   * Number of nodes. Three or more for a highly available cluster.
   * @default 3
   */
  readonly count?: number;
  /**
   * Size of each node's data volume.
   * @default '100Gi'
   */
  readonly storageSize?: string;
  /**
   * StorageClass of the data volumes.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Requests and limits of the Elasticsearch container. The JVM heap is sized
   * by Elasticsearch from the memory limit (half of it).
   * @default { cpuRequest: '1', cpuLimit: '2', memoryRequest: '4Gi', memoryLimit: '4Gi' }
   */
  readonly resources?: ContainerResources;
  /**
   * Node roles, e.g. `['master']` or `['data', 'ingest']`.
   * @default - every role
   */
  readonly roles?: string[];
}

/** A dedicated, least-privilege Elasticsearch user for Jaeger, from the file realm. */
export interface ElasticsearchJaegerUser {
  /**
   * A `kubernetes.io/basic-auth` Secret with keys `username`, `password` and
   * `roles` (set `roles` to the role name below). Create it with your secret
   * manager; it is never generated here.
   */
  readonly secretName: string;
  /**
   * Name of the role granted to the user.
   * @default 'jaeger'
   */
  readonly roleName?: string;
  /**
   * Index pattern the role may manage (every Jaeger index of every prefix by default).
   * @default '*jaeger-*'
   */
  readonly indexPattern?: string;
}

/** Props of {@link ElasticsearchCluster}. */
export interface ElasticsearchClusterProps {
  /**
   * Name of the `Elasticsearch` resource; ECK derives `<name>-es-http` (Service),
   * `<name>-es-elastic-user` and `<name>-es-http-certs-public` (Secrets) from it.
   * @default 'elasticsearch'
   */
  readonly name?: string;
  /**
   * Elasticsearch image; the version given to ECK is its tag.
   * @default 'docker.elastic.co/elasticsearch/elasticsearch:8.19.16'
   */
  readonly image?: string;
  /**
   * Node sets.
   * @default - one node set "default" of 3 nodes with every role
   */
  readonly nodeSets?: ElasticsearchNodeSet[];
  /**
   * A dedicated Jaeger user instead of the `elastic` superuser.
   * @default - Jaeger uses ECK's `elastic` user
   */
  readonly jaegerUser?: ElasticsearchJaegerUser;
  /**
   * Namespace the ECK operator runs in; it must reach port 9200.
   * @default 'elastic-system'
   */
  readonly operatorNamespace?: string;
  /**
   * Namespaces whose pods may reach port 9200 besides Jaeger's (e.g. where Kibana runs).
   * @default - Jaeger's pods and the operator only
   */
  readonly allowedNamespaces?: string[];
}

const DEFAULT_RESOURCES: ContainerResources = { cpuRequest: '1', cpuLimit: '2', memoryRequest: '4Gi', memoryLimit: '4Gi' };

/**
 * An Elasticsearch cluster run by the ECK operator (`elasticsearch.k8s.elastic.co/v1`),
 * with TLS on HTTP (ECK's self-signed CA), persistent storage per node,
 * hardened containers and a NetworkPolicy. {@link jaegerStorage} returns the
 * matching {@link JaegerStorage}: URL, CA Secret and credentials Secret.
 * The ECK operator must be installed in the cluster.
 */
export class ElasticsearchCluster extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** Elasticsearch version (the image tag). */
  public readonly version: string;
  public readonly resource: ApiObject;
  private readonly jaegerUser?: ElasticsearchJaegerUser;

  constructor(scope: Construct, id: string, props: ElasticsearchClusterProps = {}) {
    super(scope, id);
    const path = this.node.path;
    const namespace = Chart.of(this).namespace;
    if (!namespace) {
      throw configError(path, 'the chart holding Elasticsearch has no namespace, so its Service DNS name cannot be computed', namespace,
        'create the chart with { namespace: "tracing" }');
    }
    this.namespace = namespace;
    this.name = props.name ?? 'elasticsearch';
    validateDnsLabel(path, 'name', this.name, 36);
    const image = props.image ?? IMAGES.elasticsearch;
    this.version = versionOfImage(image);
    const major = Number(this.version.split('.')[0]);
    const minor = Number(this.version.split('.')[1]);
    if (!(major === 9 || (major === 8 && minor >= 19))) {
      throw configError(path, 'Elasticsearch version is not supported by Jaeger 2.20 (8.19.x and 9.x are)', this.version,
        `use an image tagged 8.19.x or 9.x, e.g. "${IMAGES.elasticsearch}"`);
    }
    const operatorNamespace = props.operatorNamespace ?? 'elastic-system';
    validateDnsLabel(path, 'operatorNamespace', operatorNamespace);
    props.allowedNamespaces?.forEach((ns) => validateDnsLabel(path, 'allowedNamespaces entry', ns));
    this.jaegerUser = props.jaegerUser;
    const labels = standardLabels({ name: 'elasticsearch', instance: this.name, component: 'storage', version: this.version });

    const nodeSets = (props.nodeSets ?? [{ name: 'default' }]).map((ns) => this.nodeSet(path, ns, labels));
    if (nodeSets.length === 0) throw configError(path, 'nodeSets is empty', props.nodeSets, 'give at least one node set, or leave nodeSets out');
    const names = nodeSets.map((n) => n.name);
    if (new Set(names).size !== names.length) throw configError(path, 'nodeSets have duplicate names', names, 'give every node set its own name');

    let auth: Record<string, unknown> | undefined;
    if (props.jaegerUser) {
      const roleName = props.jaegerUser.roleName ?? 'jaeger';
      if (!/^[a-z][a-z0-9_]*$/.test(roleName)) throw configError(path, 'jaegerUser.roleName is not a valid role name', roleName, 'use e.g. "jaeger"');
      const roles = new k8s.KubeSecret(this, 'JaegerRole', {
        metadata: { name: `${this.name}-jaeger-role`, labels },
        type: 'Opaque',
        stringData: {
          'roles.yml': toYaml({
            [roleName]: {
              // Cluster-level calls Jaeger and its tools make: health, templates, ILM policies, rollover aliases.
              cluster: ['monitor', 'manage_index_templates', 'manage_ilm'],
              indices: [{ names: [props.jaegerUser.indexPattern ?? '*jaeger-*'], privileges: ['all'] }],
            },
          }),
        },
      });
      auth = { fileRealm: [{ secretName: props.jaegerUser.secretName }], roles: [{ secretName: roles.name }] };
    }

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'elasticsearch.k8s.elastic.co/v1',
      kind: 'Elasticsearch',
      metadata: { name: this.name, labels },
      spec: {
        version: this.version,
        image,
        http: { tls: { selfSignedCertificate: { disabled: false } } },
        ...(auth ? { auth } : {}),
        nodeSets,
        // Keep data volumes when the cluster is deleted; delete them yourself after a backup.
        volumeClaimDeletePolicy: 'DeleteOnScaledownOnly',
      },
    });

    const clusterSelector = { 'elasticsearch.k8s.elastic.co/cluster-name': this.name };
    const from: k8s.NetworkPolicyPeer[] = [
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jaeger' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': operatorNamespace } } },
      ...(props.allowedNamespaces ?? []).map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
    ];
    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: `${this.name}-es`, labels },
      spec: {
        podSelector: { matchLabels: clusterSelector },
        policyTypes: ['Ingress'],
        ingress: [
          { from, ports: [{ port: k8s.IntOrString.fromNumber(ELASTICSEARCH_HTTP_PORT), protocol: 'TCP' }] },
          { from: [{ podSelector: { matchLabels: clusterSelector } }], ports: [{ port: k8s.IntOrString.fromNumber(ELASTICSEARCH_TRANSPORT_PORT), protocol: 'TCP' }] },
        ],
      },
    });
  }

  /** The HTTPS URL of the cluster's HTTP Service. */
  public get url(): string {
    return `https://${this.name}-es-http.${this.namespace}.svc:${ELASTICSEARCH_HTTP_PORT}`;
  }

  /** Secret (created by ECK) holding the CA of the HTTP certificate, key `ca.crt`. */
  public get caSecretName(): string {
    return `${this.name}-es-http-certs-public`;
  }

  /** Secret (created by ECK) holding the `elastic` user's password under the key `elastic`. */
  public get elasticUserSecretName(): string {
    return `${this.name}-es-elastic-user`;
  }

  /** Jaeger's storage on this cluster: URL, CA and credentials, all from ECK's Secrets (or the dedicated Jaeger user). */
  public jaegerStorage(): JaegerStorage {
    return JaegerStorage.elasticsearch({
      serverUrls: [this.url],
      majorVersion: Number(this.version.split('.')[0]),
      basicAuth: this.jaegerUser
        ? { secretName: this.jaegerUser.secretName, usernameKey: 'username', passwordKey: 'password' }
        : { secretName: this.elasticUserSecretName, username: 'elastic', passwordKey: 'elastic' },
      tls: { caSecretName: this.caSecretName, caKey: 'ca.crt' },
    });
  }

  private nodeSet(path: string, ns: ElasticsearchNodeSet, labels: Record<string, string>): Record<string, unknown> & { name: string } {
    validateDnsLabel(path, 'nodeSets name', ns.name, 23);
    const count = ns.count ?? 3;
    if (!Number.isInteger(count) || count < 1) throw configError(path, `nodeSet "${ns.name}" count must be a whole number of at least 1`, count, 'use 3 for a highly available cluster');
    const storageSize = ns.storageSize ?? '100Gi';
    if (!parseMemoryBytes(storageSize)) throw configError(path, `nodeSet "${ns.name}" storageSize is not a storage quantity`, storageSize, 'use e.g. "100Gi"');
    const resources = ns.resources ?? DEFAULT_RESOURCES;
    validateResources(`${path} nodeSet "${ns.name}"`, resources);
    if (parseMemoryBytes(resources.memoryLimit)! < 2 * 1024 ** 3) {
      throw configError(path, `nodeSet "${ns.name}" memoryLimit is below 2Gi, too little for an Elasticsearch node`, resources.memoryLimit, 'use 4Gi or more');
    }
    return {
      name: ns.name,
      count,
      config: {
        // No mmap: avoids the privileged sysctl init container (vm.max_map_count).
        'node.store.allow_mmap': false,
        ...(ns.roles ? { 'node.roles': ns.roles } : {}),
      },
      podTemplate: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          containers: [{
            name: 'elasticsearch',
            resources: {
              requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
              limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit },
            },
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
              runAsNonRoot: true,
              seccompProfile: { type: 'RuntimeDefault' },
            },
          }],
          topologySpreadConstraints: [{
            maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': this.name, 'elasticsearch.k8s.elastic.co/statefulset-name': `${this.name}-es-${ns.name}` } },
          }],
        },
      },
      volumeClaimTemplates: [{
        metadata: { name: 'elasticsearch-data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: storageSize } },
          ...(ns.storageClassName ? { storageClassName: ns.storageClassName } : {}),
        },
      }],
    };
  }
}
