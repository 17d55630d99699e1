// The generated L1s only (the same module as kplus.k8s): the package root would also load every L2.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { ContainerResources, goMemLimit } from '../core/quantities';
import { TEMPO_GRPC_PORT, TEMPO_HTTP_PORT, TEMPO_MEMBERLIST_PORT, TEMPO_RECEIVER_PORTS } from '../core/tempo-ports';
import { TempoComponentSize, TempoSizing, TempoSizingOverrides } from '../core/tempo-sizing';
import {
  TEMPO_KAFKA_SASL_PASSWORD_ENV, TEMPO_KAFKA_SASL_USERNAME_ENV, TEMPO_LIVE_STORE_READINESS_MAX_WAIT_SECONDS, TEMPO_TARGETS,
} from '../render/tempo-distributed-config';
import { TEMPO_CONFIG_DIR, TEMPO_CONFIG_FILE } from '../render/tempo-config';
import { ResolvedTempoKafka, StrimziKafkaCluster, TempoKafka } from './kafka';
import { labelsWithoutVersion, standardLabels } from './labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';
import { resourceRequirements } from './resources';
import { TEMPO_VOLUME_MOUNTS, tempoProbes } from './tempo-container';

const q = (v: string) => k8s.Quantity.fromString(v);
const TEMPO_UID = 10001;
const GOMEMLIMIT_RATIO = 0.85;

/** Options of {@link TempoDeploymentMode.microservices}: the declared load, Kafka, and any overrides of the derived sizing. */
export interface TempoMicroservicesOptions extends TempoSizingOverrides {
  /**
   * Peak ingest you expect, in bytes per second (what the distributors receive).
   * Partitions, live-stores, block-builders, distributors, queriers, workers and
   * their resources are derived from it (see `sizeTempo` and the README table).
   */
  readonly ingestBytesPerSecond: number;
  /** Kafka Tempo writes through: `TempoKafka.external({...})` or `TempoKafka.strimzi()`. */
  readonly kafka: TempoKafka;
}

/**
 * How Tempo runs: monolithic (one `-target=all` replica, the default) or
 * Tempo 3.0's microservices on Kafka. Switching is one prop of {@link TempoProps};
 * storage, retention, tenants, receivers and the client-facing getters stay the same.
 */
export class TempoDeploymentMode {
  /** One StatefulSet replica running every component (`target: all`), no Kafka; up to about 25-35 MB/s. */
  public static monolithic(): TempoDeploymentMode {
    return new TempoDeploymentMode(undefined);
  }

  /**
   * One workload per Tempo 3.0 component (`-target=<component>`), writing through Kafka,
   * sized from `ingestBytesPerSecond`.
   */
  public static microservices(options: TempoMicroservicesOptions): TempoDeploymentMode {
    return new TempoDeploymentMode(options);
  }

  private constructor(
    /** @internal */ public readonly _microservices: TempoMicroservicesOptions | undefined,
  ) {}

  /** True for the microservices shape. */
  public get isMicroservices(): boolean {
    return this._microservices !== undefined;
  }
}

/** DNS names the microservices shape uses, computed once for the config and the Services. */
export interface TempoMicroservicesHosts {
  /** Query-frontend Service (named like the monolithic Service, so the query URL does not move). */
  readonly query: string;
  readonly queryFrontendDiscovery: string;
  readonly distributor: string;
  readonly gossip: string;
  readonly backendScheduler: string;
  readonly liveStore: string;
  readonly blockBuilder: string;
}

/** Service names of the microservices shape. */
export function tempoMicroservicesServiceNames(name: string) {
  return {
    query: name,
    queryFrontendDiscovery: `${name}-query-frontend-discovery`,
    distributor: `${name}-distributor`,
    gossip: `${name}-gossip-ring`,
    backendScheduler: `${name}-backend-scheduler`,
    liveStore: `${name}-live-store`,
    blockBuilder: `${name}-block-builder`,
  };
}

export function tempoMicroservicesHosts(name: string, namespace: string): TempoMicroservicesHosts {
  const n = tempoMicroservicesServiceNames(name);
  const fqdn = (svc: string) => `${svc}.${namespace}.svc.cluster.local`;
  return {
    query: fqdn(n.query),
    queryFrontendDiscovery: fqdn(n.queryFrontendDiscovery),
    distributor: fqdn(n.distributor),
    gossip: fqdn(n.gossip),
    backendScheduler: fqdn(n.backendScheduler),
    liveStore: fqdn(n.liveStore),
    blockBuilder: fqdn(n.blockBuilder),
  };
}

/** Props of {@link TempoMicroservices}; the {@link Tempo} construct fills them. */
export interface TempoMicroservicesProps {
  readonly name: string;
  readonly image: string;
  readonly version: string;
  readonly sizing: TempoSizing;
  readonly kafka: ResolvedTempoKafka;
  readonly configMapName: string;
  readonly configChecksum: string;
  readonly serviceAccountName: string;
  readonly region: string;
  readonly storageClassName?: string;
  readonly allowedNamespaces?: string[];
  readonly metricsGenerator: boolean;
  readonly logLevel: string;
}

type Workload = 'Deployment' | 'StatefulSet';

interface ComponentSpec {
  readonly id: string;
  readonly target: string;
  readonly workload: Workload;
  readonly size: TempoComponentSize;
  /** Volume on /var/tempo: a claim per pod, or scratch space of this size. */
  readonly data: { claim: string } | { scratch: string };
  readonly kafkaClient: boolean;
  readonly receivers?: boolean;
  /** Headless Service a StatefulSet hangs off. */
  readonly serviceName?: string;
  readonly terminationGracePeriodSeconds?: number;
  /** startupProbe failures allowed at 10s each. */
  readonly startupFailures: number;
  readonly pdb: boolean;
}

/** A workload of the microservices shape with its optional HPA and PDB. */
export interface TempoComponentWorkload {
  readonly target: string;
  readonly kind: Workload;
  readonly name: string;
  readonly deployment?: k8s.KubeDeployment;
  readonly statefulSet?: k8s.KubeStatefulSet;
  readonly hpa?: k8s.KubeHorizontalPodAutoscalerV2;
  readonly pdb?: k8s.KubePodDisruptionBudget;
}

/**
 * The Tempo 3.0 microservices shape: distributors and queriers under HPAs,
 * live-stores and block-builders as StatefulSets whose ordinal is their Kafka
 * partition, two query-frontends, exactly one backend-scheduler with its work
 * volume, backend-workers, the metrics-generator when enabled, gossip and
 * discovery Services, PDBs, NetworkPolicies, and a Strimzi Kafka when asked.
 * Built by {@link Tempo}; use that construct.
 */
export class TempoMicroservices extends Construct {
  /** Every workload, by target. */
  public readonly workloads: TempoComponentWorkload[] = [];
  /** The query-frontend Service (`<name>`): the query endpoint. */
  public readonly queryService: k8s.KubeService;
  /** The distributor Service (`<name>-distributor`): the receiver endpoints. */
  public readonly distributorService: k8s.KubeService;
  /** Admits clients on the query port and the receivers. */
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** Present with `TempoKafka.strimzi()`. */
  public readonly strimzi?: StrimziKafkaCluster;
  /** Labels every Tempo pod of this install carries (not the Kafka brokers). */
  public readonly instanceSelector: Record<string, string>;

  private readonly props: TempoMicroservicesProps;

  constructor(scope: Construct, id: string, props: TempoMicroservicesProps) {
    super(scope, id);
    this.props = props;
    const { name, sizing: s } = props;
    const names = tempoMicroservicesServiceNames(name);
    this.instanceSelector = { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': name };
    const commonLabels = this.labels('tempo');

    const http = { name: 'http', port: TEMPO_HTTP_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP', appProtocol: 'http' };
    const grpc = { name: 'grpc', port: TEMPO_GRPC_PORT, targetPort: k8s.IntOrString.fromString('grpc'), protocol: 'TCP', appProtocol: 'grpc' };

    // The query Service keeps the monolithic name and construct id, so Grafana's URL does not move.
    this.queryService = new k8s.KubeService(scope, 'Service', {
      metadata: { name: names.query, labels: this.labels(TEMPO_TARGETS.queryFrontend) },
      spec: { type: 'ClusterIP', selector: this.selector(TEMPO_TARGETS.queryFrontend), ports: [http, grpc] },
    });
    // Queriers connect to every query-frontend: they need each pod's address, ready or not.
    this.headless('QueryFrontendDiscovery', names.queryFrontendDiscovery, TEMPO_TARGETS.queryFrontend, this.selector(TEMPO_TARGETS.queryFrontend), [grpc, http], true);
    this.distributorService = new k8s.KubeService(this, 'DistributorService', {
      metadata: { name: names.distributor, labels: this.labels(TEMPO_TARGETS.distributor) },
      spec: {
        type: 'ClusterIP',
        selector: this.selector(TEMPO_TARGETS.distributor),
        ports: [http, grpc, ...TEMPO_RECEIVER_PORTS.map((r) => ({
          name: r.name, port: r.port, targetPort: k8s.IntOrString.fromString(r.name), protocol: r.protocol,
          ...(r.appProtocol ? { appProtocol: r.appProtocol } : {}),
        }))],
      },
    });
    this.headless('GossipRing', names.gossip, 'gossip-ring', this.instanceSelector,
      [{ name: 'memberlist', port: TEMPO_MEMBERLIST_PORT, targetPort: k8s.IntOrString.fromString('memberlist'), protocol: 'TCP' }], true);
    this.headless('LiveStoreService', names.liveStore, TEMPO_TARGETS.liveStore, this.selector(TEMPO_TARGETS.liveStore), [http, grpc], false);
    this.headless('BlockBuilderService', names.blockBuilder, TEMPO_TARGETS.blockBuilder, this.selector(TEMPO_TARGETS.blockBuilder), [http, grpc], false);
    this.headless('BackendSchedulerService', names.backendScheduler, TEMPO_TARGETS.backendScheduler, this.selector(TEMPO_TARGETS.backendScheduler), [http, grpc], false);

    const specs: ComponentSpec[] = [
      { id: 'Distributor', target: TEMPO_TARGETS.distributor, workload: 'Deployment', size: s.distributor, data: { scratch: '1Gi' }, kafkaClient: true, receivers: true, startupFailures: 30, pdb: true },
      // The live-store replays its partition from Kafka before /ready (live_store.readiness_max_wait): allow that
      // long plus 5 minutes for the WAL replay and ring join before it, so the kubelet never kills a catching-up pod.
      { id: 'LiveStore', target: TEMPO_TARGETS.liveStore, workload: 'StatefulSet', size: s.liveStore, data: { claim: s.liveStore.storageSize ?? '20Gi' }, kafkaClient: true, serviceName: names.liveStore, terminationGracePeriodSeconds: 1200, startupFailures: TEMPO_LIVE_STORE_READINESS_MAX_WAIT_SECONDS / 10 + 30, pdb: true },
      { id: 'BlockBuilder', target: TEMPO_TARGETS.blockBuilder, workload: 'StatefulSet', size: s.blockBuilder, data: { scratch: '10Gi' }, kafkaClient: true, serviceName: names.blockBuilder, terminationGracePeriodSeconds: 300, startupFailures: 60, pdb: true },
      { id: 'Querier', target: TEMPO_TARGETS.querier, workload: 'Deployment', size: s.querier, data: { scratch: '1Gi' }, kafkaClient: false, startupFailures: 30, pdb: true },
      { id: 'QueryFrontend', target: TEMPO_TARGETS.queryFrontend, workload: 'Deployment', size: s.queryFrontend, data: { scratch: '1Gi' }, kafkaClient: false, startupFailures: 30, pdb: true },
      // Exactly one: the scheduler is a singleton. No PDB: it would block every node drain.
      { id: 'BackendScheduler', target: TEMPO_TARGETS.backendScheduler, workload: 'StatefulSet', size: s.backendScheduler, data: { claim: s.backendScheduler.storageSize ?? '1Gi' }, kafkaClient: false, serviceName: names.backendScheduler, startupFailures: 30, pdb: false },
      { id: 'BackendWorker', target: TEMPO_TARGETS.backendWorker, workload: 'Deployment', size: s.backendWorker, data: { scratch: '1Gi' }, kafkaClient: false, startupFailures: 30, pdb: s.backendWorker.replicas > 1 },
    ];
    if (props.metricsGenerator) {
      specs.push({ id: 'MetricsGenerator', target: TEMPO_TARGETS.metricsGenerator, workload: 'Deployment', size: s.metricsGenerator, data: { scratch: '5Gi' }, kafkaClient: true, startupFailures: 30, pdb: s.metricsGenerator.replicas > 1 });
    }
    for (const spec of specs) this.workloads.push(this.component(spec));

    // Clients: the query port (and /metrics) on every pod, the receivers on the distributors.
    const allowed = props.allowedNamespaces;
    const from: k8s.NetworkPolicyPeer[] = allowed
      ? allowed.map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }))
      : [{ namespaceSelector: {} }];
    const port = (p: number, protocol = 'TCP') => ({ port: k8s.IntOrString.fromNumber(p), protocol });
    this.networkPolicy = new k8s.KubeNetworkPolicy(scope, 'NetworkPolicy', {
      metadata: { name, labels: commonLabels },
      spec: {
        podSelector: { matchLabels: this.instanceSelector },
        policyTypes: ['Ingress'],
        ingress: [
          { from, ports: [port(TEMPO_HTTP_PORT)] },
          // Tempo's components talk to each other over HTTP, gRPC and gossip.
          { from: [{ podSelector: { matchLabels: this.instanceSelector } }], ports: [port(TEMPO_HTTP_PORT), port(TEMPO_GRPC_PORT), port(TEMPO_MEMBERLIST_PORT)] },
        ],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'DistributorNetworkPolicy', {
      metadata: { name: `${name}-distributor`, labels: this.labels(TEMPO_TARGETS.distributor) },
      spec: {
        podSelector: { matchLabels: this.selector(TEMPO_TARGETS.distributor) },
        policyTypes: ['Ingress'],
        ingress: [{ from, ports: TEMPO_RECEIVER_PORTS.map((r) => port(r.port, r.protocol)) }],
      },
    });

    if (props.kafka.strimzi) {
      this.strimzi = new StrimziKafkaCluster(this, 'Kafka', {
        kafka: props.kafka,
        clientSelector: this.instanceSelector,
        labels: { ...this.labels('kafka'), 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/version': props.kafka.strimzi.kafkaVersion ?? 'operator-default' },
      });
    }
  }

  /** The workload running `target`, if deployed. */
  public workload(target: string): TempoComponentWorkload | undefined {
    return this.workloads.find((w) => w.target === target);
  }

  private labels(component: string): Record<string, string> {
    return standardLabels({ name: 'tempo', instance: this.props.name, component, version: this.props.version });
  }

  private selector(component: string): Record<string, string> {
    return { ...this.instanceSelector, 'app.kubernetes.io/component': component };
  }

  private headless(id: string, name: string, component: string, selector: Record<string, string>, ports: k8s.ServicePort[], publishNotReady: boolean) {
    return new k8s.KubeService(this, id, {
      metadata: { name, labels: this.labels(component) },
      spec: { clusterIp: 'None', ...(publishNotReady ? { publishNotReadyAddresses: true } : {}), selector, ports },
    });
  }

  private component(spec: ComponentSpec): TempoComponentWorkload {
    const p = this.props;
    const name = `${p.name}-${spec.target}`;
    const labels = this.labels(spec.target);
    const selector = this.selector(spec.target);
    const r: ContainerResources = spec.size.resources;
    const sasl = spec.kafkaClient ? p.kafka.saslPlain : undefined;
    const env: k8s.EnvVar[] = [
      { name: 'GOMEMLIMIT', value: goMemLimit(r.memoryLimit, GOMEMLIMIT_RATIO) },
      { name: 'AWS_REGION', value: p.region },
      ...(sasl ? [
        { name: TEMPO_KAFKA_SASL_USERNAME_ENV, valueFrom: { secretKeyRef: { name: sasl.secretName, key: sasl.usernameKey } } },
        { name: TEMPO_KAFKA_SASL_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: sasl.secretName, key: sasl.passwordKey } } },
      ] : []),
    ];
    const ports: k8s.ContainerPort[] = [
      { name: 'http', containerPort: TEMPO_HTTP_PORT, protocol: 'TCP' },
      { name: 'grpc', containerPort: TEMPO_GRPC_PORT, protocol: 'TCP' },
      { name: 'memberlist', containerPort: TEMPO_MEMBERLIST_PORT, protocol: 'TCP' },
      ...(spec.receivers ? TEMPO_RECEIVER_PORTS.map((rp) => ({ name: rp.name, containerPort: rp.port, protocol: rp.protocol })) : []),
    ];
    const multi = (spec.size.autoscaling?.maxReplicas ?? spec.size.replicas) > 1;
    const podSpec: k8s.PodSpec = {
      serviceAccountName: p.serviceAccountName,
      automountServiceAccountToken: false,
      securityContext: restrictedPodSecurityContext(TEMPO_UID, TEMPO_UID),
      enableServiceLinks: false,
      ...(spec.terminationGracePeriodSeconds ? { terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds } : {}),
      // Spread replicas over zones and nodes, softly: a zone outage must not take every replica.
      ...(multi ? {
        topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
          maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector },
        })),
      } : {}),
      containers: [{
        name: spec.target,
        image: p.image,
        imagePullPolicy: 'IfNotPresent',
        args: [
          `-target=${spec.target}`,
          `-config.file=${TEMPO_CONFIG_DIR}/${TEMPO_CONFIG_FILE}`,
          // Expands ${TEMPO_KAFKA_SASL_*} from the Secret-backed environment.
          ...(sasl ? ['-config.expand-env=true'] : []),
        ],
        ports,
        env,
        resources: resourceRequirements(r),
        securityContext: restrictedContainerSecurityContext(TEMPO_UID, TEMPO_UID),
        ...tempoProbes(spec.startupFailures),
        volumeMounts: TEMPO_VOLUME_MOUNTS,
      }],
      volumes: [
        { name: 'config', configMap: { name: p.configMapName } },
        ...('scratch' in spec.data ? [{ name: 'data', emptyDir: { sizeLimit: q(spec.data.scratch) } }] : []),
        { name: 'tmp', emptyDir: { sizeLimit: q('256Mi') } },
      ],
    };
    const template = { metadata: { labels, annotations: { 'checksum/config': p.configChecksum } }, spec: podSpec };

    let result: TempoComponentWorkload;
    if (spec.workload === 'Deployment') {
      const deployment = new k8s.KubeDeployment(this, spec.id, {
        metadata: { name, labels },
        spec: {
          // Under an HPA the Deployment leaves replicas to it, so a re-apply never fights the autoscaler.
          ...(spec.size.autoscaling ? {} : { replicas: spec.size.replicas }),
          selector: { matchLabels: selector },
          template,
        },
      });
      result = { target: spec.target, kind: 'Deployment', name, deployment };
    } else {
      const statefulSet = new k8s.KubeStatefulSet(this, spec.id, {
        metadata: { name, labels },
        spec: {
          replicas: spec.size.replicas,
          serviceName: spec.serviceName!,
          selector: { matchLabels: selector },
          // Partition owners start together; ordinal N always owns partition N.
          podManagementPolicy: 'Parallel',
          updateStrategy: { type: 'RollingUpdate' },
          ...('claim' in spec.data ? {
            persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
            volumeClaimTemplates: [{
              // Immutable after creation: no version label, or every upgrade would be rejected.
              metadata: { name: 'data', labels: labelsWithoutVersion(labels) },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: q(spec.data.claim) } },
                ...(p.storageClassName ? { storageClassName: p.storageClassName } : {}),
              },
            }],
          } : {}),
          template,
        },
      });
      result = { target: spec.target, kind: 'StatefulSet', name, statefulSet };
    }

    const a = spec.size.autoscaling;
    const hpa = a && spec.workload === 'Deployment' ? new k8s.KubeHorizontalPodAutoscalerV2(this, `${spec.id}Autoscaler`, {
      metadata: { name, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.targetCpuUtilizationPercent } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    }) : undefined;
    const pdb = spec.pdb ? new k8s.KubePodDisruptionBudget(this, `${spec.id}Disruption`, {
      metadata: { name, labels },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    }) : undefined;
    return { ...result, ...(hpa ? { hpa } : {}), ...(pdb ? { pdb } : {}) };
  }
}
