import { configError } from '../core/errors';
import { Retention } from '../core/retention';
import { JAEGER_ES_CA_DIR, JaegerEngine, JaegerRotationMode, JaegerStorageConfig } from '../render/jaeger-config';

/**
 * Value types describing where Jaeger stores traces and how its indices
 * rotate, and their resolution into the renderer's {@link JaegerStorageConfig}.
 * No cdk8s here: the AWS constructs use these too.
 */

/** Basic-auth credentials read from a Kubernetes Secret (passed to pods as environment variables, never written into a ConfigMap). */
export interface JaegerBasicAuth {
  /** Name of the Secret in the Jaeger namespace. */
  readonly secretName: string;
  /**
   * Key of the user name in the Secret.
   * @default 'username' (ignored when `username` is set)
   */
  readonly usernameKey?: string;
  /**
   * A fixed user name instead of a Secret key (e.g. `elastic` for ECK's built-in user).
   * @default - read from `usernameKey`
   */
  readonly username?: string;
  /**
   * Key of the password in the Secret.
   * @default 'password'
   */
  readonly passwordKey?: string;
}

/** AWS SigV4 request signing (Amazon OpenSearch Service with IAM), through Jaeger's `sigv4auth` extension. */
export interface JaegerSigV4Auth {
  /** AWS region of the domain, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * Service name to sign for.
   * @default 'es' (Amazon OpenSearch Service managed domains)
   */
  readonly service?: string;
}

/** TLS towards the storage. Only valid with `https://` URLs. */
export interface JaegerStorageTls {
  /**
   * Secret holding the CA certificate (PEM) that signed the server certificate,
   * e.g. ECK's `<cluster>-es-http-certs-public`.
   * @default - the system trust store (public CAs only)
   */
  readonly caSecretName?: string;
  /**
   * Key of the CA certificate in that Secret.
   * @default 'ca.crt'
   */
  readonly caKey?: string;
  /**
   * Server name to verify instead of the URL's host.
   * @default - the URL host
   */
  readonly serverName?: string;
  /**
   * Skip certificate verification. Never in production.
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
}

/** Options shared by {@link JaegerStorage.elasticsearch} and {@link JaegerStorage.opensearch}. */
export interface JaegerBackendOptions {
  /** Full URLs, e.g. `https://es-http.tracing.svc:9200` or `https://vpc-x.eu-west-1.es.amazonaws.com`. */
  readonly serverUrls: string[];
  /**
   * HTTP basic auth from a Secret. Mutually exclusive with `sigv4`.
   * @default - no basic auth
   */
  readonly basicAuth?: JaegerBasicAuth;
  /**
   * Sign requests with SigV4 (IAM). Mutually exclusive with `basicAuth`. The
   * retention CLIs and spark-dependencies cannot sign, so retention must then
   * come from an ISM policy (see `JaegerIndexRotation.daily({ indexCleaner: false })`).
   * @default - requests are not signed
   */
  readonly sigv4?: JaegerSigV4Auth;
  /**
   * TLS settings for `https://` URLs. An `https://` URL to a host inside the
   * cluster requires `caSecretName`, because in-cluster certificates are not
   * signed by a public CA.
   * @default - system trust store for https URLs
   */
  readonly tls?: JaegerStorageTls;
  /**
   * Connect to an `https://` endpoint without credentials, on purpose, with the reason (at
   * least 10 characters). A TLS-secured Elasticsearch or OpenSearch almost always requires
   * authentication (ECK and security-enabled clusters reject anonymous requests; one that
   * accepts them lets anyone who reaches it read and delete every trace), so `https` without
   * `basicAuth` or `sigv4` is refused unless chosen here. The reason is recorded as the
   * annotation `cdk-tracing/unauthenticated-storage-reason` on Jaeger's Deployments.
   * @default - https endpoints need basicAuth or sigv4
   */
  readonly unauthenticatedReason?: string;
}

/** Options of {@link JaegerStorage.elasticsearch}. */
export interface JaegerElasticsearchOptions extends JaegerBackendOptions {
  /**
   * Elasticsearch major version: 8 (8.19) or 9. Picks the spark-dependencies image variant.
   * @default 8
   */
  readonly majorVersion?: number;
}

/** Where Jaeger stores traces. */
export class JaegerStorage {
  /** Elasticsearch 8.19+ or 9.x (Jaeger 2.20 supports no older). */
  public static elasticsearch(options: JaegerElasticsearchOptions): JaegerStorage {
    return new JaegerStorage('elasticsearch', options, options.majorVersion ?? 8);
  }

  /** OpenSearch 2.19+ or 3.x, self-managed or Amazon OpenSearch Service. */
  public static opensearch(options: JaegerBackendOptions): JaegerStorage {
    return new JaegerStorage('opensearch', options, undefined);
  }

  private constructor(
    /** `elasticsearch` or `opensearch`. */
    public readonly engine: JaegerEngine,
    /** The options as given. */
    public readonly options: JaegerBackendOptions,
    /** Elasticsearch major version. */
    public readonly majorVersion: number | undefined,
  ) {}
}

/** Options of {@link JaegerIndexRotation.daily}. */
export interface JaegerDailyRotationOptions {
  /**
   * Run the es-index-cleaner CronJob. Turn off only when something else deletes
   * old indices (an ISM policy on an IAM-only Amazon OpenSearch domain).
   * @default true
   */
  readonly indexCleaner?: boolean;
  /**
   * Cron schedule of the cleaner (UTC).
   * @default '55 23 * * *'
   */
  readonly cleanerSchedule?: string;
}

/** Options of {@link JaegerIndexRotation.rollover}. */
export interface JaegerRolloverOptions {
  /**
   * Roll over to a new index when the write index is this old, as an
   * Elasticsearch time unit (`12h`, `1d`). Must be shorter than the retention.
   * @default '1d'
   */
  readonly maxAge?: string;
  /**
   * Cron schedule of the rollover CronJob (UTC).
   * @default '10 0 * * *'
   */
  readonly rolloverSchedule?: string;
  /**
   * Cron schedule of the lookback and cleaner CronJobs (UTC).
   * @default '55 23 * * *'
   */
  readonly cleanupSchedule?: string;
}

/** Options of {@link JaegerIndexRotation.lifecyclePolicy}. */
export interface JaegerLifecyclePolicyOptions {
  /**
   * Name of the ILM (Elasticsearch) or ISM (OpenSearch) policy.
   * @default 'jaeger-rollover-policy'
   */
  readonly policyName?: string;
  /**
   * Rollover condition of the policy (`12h`, `1d`). Must be shorter than the retention.
   * @default '1d'
   */
  readonly maxAge?: string;
  /**
   * Create or update the policy from a Job before `es-rollover init` runs.
   * Turn off when the policy is managed elsewhere.
   * @default true
   */
  readonly managePolicy?: boolean;
}

/**
 * How Jaeger's indices rotate and how old ones are removed. Each mode brings
 * the jobs it needs and only those, with the cleaner's `--rollover` flag and
 * Jaeger's `rotation` config derived from the same choice.
 */
export class JaegerIndexRotation {
  /**
   * Daily indices (`<prefix>-jaeger-span-2026-08-20`) and the es-index-cleaner
   * CronJob deleting those older than the retention. The simplest and the default.
   */
  public static daily(options: JaegerDailyRotationOptions = {}): JaegerIndexRotation {
    return new JaegerIndexRotation('daily', options);
  }

  /**
   * Rollover indices (`...-000001` behind read/write aliases) managed by Jobs:
   * the es-rollover init Job, a rollover CronJob, a lookback CronJob and the
   * cleaner in rollover mode.
   */
  public static rollover(options: JaegerRolloverOptions = {}): JaegerIndexRotation {
    return new JaegerIndexRotation('manual-rollover', options);
  }

  /**
   * Rollover indices managed by an ILM (Elasticsearch) or ISM (OpenSearch)
   * policy that rolls over and deletes: the policy Job and the es-rollover init
   * Job, no CronJobs.
   */
  public static lifecyclePolicy(options: JaegerLifecyclePolicyOptions = {}): JaegerIndexRotation {
    return new JaegerIndexRotation('lifecycle-policy', options);
  }

  private constructor(
    /** The rotation mode. */
    public readonly mode: JaegerRotationMode,
    /** The options as given. */
    public readonly options: JaegerDailyRotationOptions & JaegerRolloverOptions & JaegerLifecyclePolicyOptions,
  ) {}
}

/** Storage after validation plus what the constructs need beyond the renderer's view. */
export interface ResolvedJaegerStorage {
  readonly config: JaegerStorageConfig;
  readonly basicAuth?: { readonly secretName: string; readonly usernameKey?: string; readonly username?: string; readonly passwordKey: string };
  readonly caSecret?: { readonly secretName: string; readonly key: string };
  readonly indexCleaner: boolean;
  readonly cleanerSchedule: string;
  readonly rolloverSchedule: string;
  readonly managePolicy: boolean;
  /** Why an https endpoint is used without credentials, when the user chose so. */
  readonly unauthenticatedReason?: string;
}

export interface JaegerStorageInput {
  readonly storage: JaegerStorage;
  readonly retention: Retention;
  readonly indexPrefix?: string;
  readonly indexRotation: JaegerIndexRotation;
  readonly spanShards: number;
  readonly indexReplicas: number;
}

const ES_TIME_UNIT = /^(\d+)(d|h|m)$/;
const CRON = /^(\S+\s+){4}\S+$/;
const FORBIDDEN_INDEX_CHARS = /[\\/*?"<>| ,#:A-Z]/;

function isUnresolved(value: string): boolean {
  return value.includes('${Token[');
}

/** Hours of an Elasticsearch time unit (`1d`, `12h`, `90m`), or undefined. */
export function esTimeUnitHours(value: string): number | undefined {
  const m = ES_TIME_UNIT.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'd' ? n * 24 : m[2] === 'h' ? n : n / 60;
}

/** Throws unless `prefix` can start an Elasticsearch/OpenSearch index name. */
export function validateIndexPrefix(path: string, prefix: string): void {
  const fix = 'use lowercase letters, digits, "-" and "_", starting with a letter or digit and not ending in "-" (Jaeger appends it), e.g. "prod"';
  if (prefix.length === 0 || prefix.length > 100 || FORBIDDEN_INDEX_CHARS.test(prefix) || /^[-_+.]/.test(prefix) || prefix.endsWith('-')) {
    throw configError(path, 'indexPrefix is not a valid start of an Elasticsearch index name', prefix, fix);
  }
}

function validateCron(path: string, what: string, schedule: string): void {
  if (!CRON.test(schedule.trim())) {
    throw configError(path, `${what} is not a five-field cron schedule`, schedule, 'use e.g. "55 23 * * *" (minute hour day month weekday, UTC)');
  }
}

function inClusterHost(host: string): boolean {
  return !host.includes('.') || /\.svc(\.cluster\.local)?$/.test(host) || host.endsWith('.cluster.local');
}

/** Fills defaults and checks every cross-field rule of Jaeger's storage. */
export function resolveJaegerStorage(path: string, input: JaegerStorageInput): ResolvedJaegerStorage {
  const { storage, retention, indexRotation } = input;
  const o = storage.options;
  retention.validate(path, 'retention');
  if (retention.hours < 24) {
    throw configError(path, 'retention is shorter than one day, but Elasticsearch indices rotate at most daily and the cleaner counts whole days',
      retention.toString(), 'use Retention.days(1) or longer');
  }
  if (!o.serverUrls || o.serverUrls.length === 0) {
    throw configError(path, 'storage.serverUrls is empty', o.serverUrls, 'give at least one URL, e.g. "https://elasticsearch-es-http.tracing.svc:9200"');
  }
  let https: boolean | undefined;
  for (const url of o.serverUrls) {
    if (isUnresolved(url)) { https ??= true; continue; }
    const m = /^(https?):\/\/([^/:\s]+)(:\d+)?\/?$/.exec(url);
    if (!m) {
      throw configError(path, 'storage.serverUrls entry is not an http(s) URL of a host', url,
        'use "https://host:9200" (no path, no credentials in the URL)');
    }
    const isHttps = m[1] === 'https';
    if (https !== undefined && https !== isHttps) {
      throw configError(path, 'storage.serverUrls mix http and https', o.serverUrls, 'use one scheme for every URL');
    }
    https = isHttps;
    if (isHttps && !o.tls?.caSecretName && !o.tls?.insecureSkipVerify && inClusterHost(m[2])) {
      throw configError(path, 'an https URL to a host inside the cluster needs a CA: in-cluster certificates are not signed by a public CA',
        url, 'set storage tls.caSecretName to the Secret holding the CA (for ECK: "<cluster>-es-http-certs-public")');
    }
  }
  if (o.tls && https === false) {
    throw configError(path, 'storage.tls is set but the server URLs use plain http', o.serverUrls, 'use https:// URLs, or remove tls');
  }
  if (o.tls?.caSecretName && o.tls.insecureSkipVerify) {
    throw configError(path, 'storage.tls sets both caSecretName and insecureSkipVerify', o.tls, 'keep caSecretName and drop insecureSkipVerify');
  }
  if (o.basicAuth && o.sigv4) {
    throw configError(path, 'storage sets both basicAuth and sigv4 (IAM); a request carries one kind of credentials',
      { basicAuth: o.basicAuth.secretName, sigv4: o.sigv4.region }, 'keep sigv4 for an IAM-only domain, or basicAuth for fine-grained access control with internal users');
  }
  if (o.sigv4 && !https) {
    throw configError(path, 'sigv4 signing needs https URLs (Amazon OpenSearch Service endpoints are https only)', o.serverUrls,
      'use the domain endpoint as "https://<endpoint>"');
  }
  if (o.sigv4 && storage.engine !== 'opensearch') {
    throw configError(path, 'sigv4 is set on an elasticsearch backend; only Amazon OpenSearch Service signs with IAM', storage.engine,
      'use JaegerStorage.opensearch(...) for Amazon OpenSearch Service');
  }
  if (o.sigv4 && !isUnresolved(o.sigv4.region) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(o.sigv4.region)) {
    throw configError(path, 'sigv4.region is not an AWS region', o.sigv4.region, 'use e.g. "eu-west-1"');
  }
  if (o.basicAuth) {
    if (!o.basicAuth.secretName) throw configError(path, 'basicAuth.secretName is empty', o.basicAuth.secretName, 'name the Secret holding the credentials');
    if (o.basicAuth.username !== undefined && o.basicAuth.usernameKey !== undefined) {
      throw configError(path, 'basicAuth sets both username and usernameKey', o.basicAuth, 'give the user name literally (username) or as a Secret key (usernameKey), not both');
    }
  }
  const hasCredentials = o.basicAuth !== undefined || o.sigv4 !== undefined;
  if (o.basicAuth && https === false) {
    throw configError(path, 'storage.basicAuth over plain http sends the password in clear text on every request', o.serverUrls,
      'use https:// URLs (with tls.caSecretName for a CA inside the cluster, e.g. ECK\'s "<cluster>-es-http-certs-public")');
  }
  let unauthenticatedReason: string | undefined;
  if (o.unauthenticatedReason !== undefined) {
    if (typeof o.unauthenticatedReason !== 'string' || o.unauthenticatedReason.trim().length < 10) {
      throw configError(path, 'storage.unauthenticatedReason must say, in at least 10 characters, why connecting without credentials is safe', o.unauthenticatedReason,
        'give the reason, e.g. "dev cluster, security disabled, reachable only from this namespace"');
    }
    if (hasCredentials) {
      throw configError(path, 'storage.unauthenticatedReason is set but credentials are given too', o.unauthenticatedReason,
        'remove unauthenticatedReason (the credentials are used), or remove basicAuth/sigv4');
    }
    unauthenticatedReason = o.unauthenticatedReason.trim();
  }
  if (https && !hasCredentials && unauthenticatedReason === undefined) {
    const outside = o.serverUrls.find((url) => !isUnresolved(url) && !inClusterHost(/^https?:\/\/([^/:\s]+)/.exec(url)![1]));
    throw outside !== undefined
      ? configError(path, 'storage is an https endpoint outside the cluster with no credentials: it rejects every request, or accepts anyone\'s', outside,
        'set basicAuth (a Secret with the user and password), sigv4 for Amazon OpenSearch Service with IAM, or unauthenticatedReason: "why anonymous access is safe"')
      : configError(path, 'storage trusts a CA (tls) for an https endpoint inside the cluster but gives no credentials, and a TLS-secured cluster (ECK) rejects anonymous requests',
        o.serverUrls, 'set basicAuth, e.g. { secretName: "<cluster>-es-elastic-user", username: "elastic", passwordKey: "elastic" } for ECK, or unauthenticatedReason: "why anonymous access is safe"');
  }
  if (storage.majorVersion !== undefined && storage.majorVersion !== 8 && storage.majorVersion !== 9) {
    throw configError(path, 'elasticsearch majorVersion must be 8 or 9 (Jaeger 2.20 supports Elasticsearch 8.19 and 9.x)', storage.majorVersion,
      'upgrade Elasticsearch, or set majorVersion: 8');
  }
  if (input.indexPrefix !== undefined) validateIndexPrefix(path, input.indexPrefix);
  for (const [what, n, min] of [['spanShards', input.spanShards, 1], ['indexReplicas', input.indexReplicas, 0]] as const) {
    if (!Number.isInteger(n) || n < min || n > 1024) {
      throw configError(path, `${what} must be a whole number of at least ${min}`, n, `set ${what} to e.g. ${min === 1 ? 3 : 1}`);
    }
  }

  const ro = indexRotation.options;
  const mode = indexRotation.mode;
  const indexCleaner = mode === 'daily' ? (ro.indexCleaner ?? true) : mode === 'manual-rollover';
  if (mode === 'daily' && ro.indexCleaner === false && ro.cleanerSchedule !== undefined) {
    throw configError(path, 'daily rotation sets cleanerSchedule but turns the index cleaner off', ro.cleanerSchedule, 'remove cleanerSchedule or the indexCleaner: false');
  }
  const rolloverMaxAge = mode === 'daily' ? undefined : (ro.maxAge ?? '1d');
  if (rolloverMaxAge !== undefined) {
    const hours = esTimeUnitHours(rolloverMaxAge);
    if (hours === undefined || hours <= 0) {
      throw configError(path, 'indexRotation maxAge is not an Elasticsearch time unit', rolloverMaxAge, 'use e.g. "1d" or "12h"');
    }
    if (hours >= retention.hours) {
      throw configError(path, 'indexRotation maxAge is not shorter than the retention, so every index would hold more than the retention',
        rolloverMaxAge, `use a maxAge below ${retention.toString()}, e.g. "1d"`);
    }
  }
  const policyName = mode === 'lifecycle-policy' ? (ro.policyName ?? 'jaeger-rollover-policy') : undefined;
  if (policyName !== undefined && !/^[a-z0-9][a-z0-9_-]{0,127}$/.test(policyName)) {
    throw configError(path, 'indexRotation policyName is not a valid policy name', policyName, 'use lowercase letters, digits, "-" and "_", e.g. "jaeger-rollover-policy"');
  }
  if (o.sigv4) {
    if (indexCleaner) {
      throw configError(path, 'the es-index-cleaner cannot sign SigV4 requests, so it cannot delete indices on an IAM-only domain',
        mode, 'use JaegerIndexRotation.daily({ indexCleaner: false }) and enforce retention with an ISM delete policy (JaegerOnEks and JaegerOpenSearchDomain create one)');
    }
    if (mode !== 'daily') {
      throw configError(path, 'es-rollover cannot sign SigV4 requests, so rollover rotation cannot be initialised on an IAM-only domain',
        mode, 'use JaegerIndexRotation.daily({ indexCleaner: false }) with an ISM delete policy, or fine-grained access control with basic auth');
    }
  }
  const cleanerSchedule = (mode === 'manual-rollover' ? ro.cleanupSchedule : ro.cleanerSchedule) ?? '55 23 * * *';
  const rolloverSchedule = ro.rolloverSchedule ?? '10 0 * * *';
  validateCron(path, 'cleaner schedule', cleanerSchedule);
  validateCron(path, 'rollover schedule', rolloverSchedule);
  // The cleaner deletes a daily index once it is N days old by creation time; the index keeps
  // receiving spans until midnight, so a run early in the day deletes spans up to a day too soon.
  if (mode === 'daily' && cleanerSchedule.trim().split(/\s+/)[1] !== '23') {
    throw configError(path, 'the daily index cleaner must run in the last hour of the UTC day, or it deletes spans up to a day before the retention',
      cleanerSchedule, 'use a schedule in hour 23, e.g. "55 23 * * *" (the default)');
  }

  const caSecret = o.tls?.caSecretName ? { secretName: o.tls.caSecretName, key: o.tls.caKey ?? 'ca.crt' } : undefined;
  const config: JaegerStorageConfig = {
    engine: storage.engine,
    majorVersion: storage.majorVersion,
    serverUrls: [...o.serverUrls],
    indexPrefix: input.indexPrefix,
    auth: o.sigv4 ? { kind: 'sigv4', region: o.sigv4.region, service: o.sigv4.service ?? 'es' } : o.basicAuth ? { kind: 'basic' } : { kind: 'none' },
    tls: https ? {
      caFile: caSecret ? `${JAEGER_ES_CA_DIR}/${caSecret.key}` : undefined,
      serverName: o.tls?.serverName,
      insecureSkipVerify: o.tls?.insecureSkipVerify,
    } : undefined,
    retention,
    rotation: { mode, policyName, rolloverMaxAge },
    spanShards: input.spanShards,
    replicas: input.indexReplicas,
  };
  return {
    config,
    basicAuth: o.basicAuth ? {
      secretName: o.basicAuth.secretName,
      username: o.basicAuth.username,
      usernameKey: o.basicAuth.username === undefined ? (o.basicAuth.usernameKey ?? 'username') : undefined,
      passwordKey: o.basicAuth.passwordKey ?? 'password',
    } : undefined,
    caSecret,
    indexCleaner,
    cleanerSchedule,
    rolloverSchedule,
    managePolicy: mode === 'lifecycle-policy' && (ro.managePolicy ?? true),
    ...(unauthenticatedReason !== undefined ? { unauthenticatedReason } : {}),
  };
}
