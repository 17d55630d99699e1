// The spark-dependencies CronJob behind the Dependencies (System Architecture) page.
// It is a Java job with its own env names, so it does not reuse the Jaeger CLI job pod.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { configError } from '../../core/errors';
import { ContainerResources, validateResources } from '../../core/quantities';
import { IMAGES } from '../../core/versions';
import { renderSparkEnv, sparkVariant } from '../../render/jaeger-config';
import { restrictedContainerSecurityContext } from '../pod-security';
import { resourceRequirements } from '../resources';
import { JaegerContext } from './context';
import { maintenanceCronJob, maintenancePodTemplate } from './job-pods';
import { JAEGER_UID, JaegerDependenciesOptions } from './props';
import { credentialEnv } from './storage-access';

const SPARK_RESOURCES: ContainerResources = { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '4Gi' };
const TRUSTSTORE_DIR = '/etc/jaeger/truststore';

export function dependenciesJob(ctx: JaegerContext, path: string, options: JaegerDependenciesOptions): void {
  const s = ctx.storage;
  if (s.auth.kind === 'sigv4') {
    throw configError(path, 'spark-dependencies cannot sign SigV4 requests, so it cannot read an IAM-only domain', 'dependencies',
      'remove dependencies, or use fine-grained access control with basic auth for the domain');
  }
  if (ctx.resolved.caSecret && !options.trustStore) {
    throw configError(path, 'spark-dependencies is Java and cannot read the PEM CA of the storage', ctx.resolved.caSecret.secretName,
      'set dependencies.trustStore to a Secret holding a PKCS#12 trust store with that CA');
  }
  const resources = options.resources ?? SPARK_RESOURCES;
  validateResources(`${path} dependencies`, resources);
  const schedule = options.schedule ?? '49 23 * * *';
  if (!/^(\S+\s+){4}\S+$/.test(schedule.trim())) {
    throw configError(path, 'dependencies.schedule is not a five-field cron schedule', schedule, 'use e.g. "49 23 * * *"');
  }
  const image = `${options.image ?? IMAGES.jaegerSparkDependencies}-${sparkVariant(s)}`;
  const spark = renderSparkEnv(s);
  const trust = options.trustStore;
  const javaOpts = ['-XX:MaxRAMPercentage=75.0', '-Djava.io.tmpdir=/tmp',
    ...(trust ? [`-Djavax.net.ssl.trustStore=${TRUSTSTORE_DIR}/${trust.key ?? 'truststore.p12'}`, '-Djavax.net.ssl.trustStoreType=PKCS12',
      '-Djavax.net.ssl.trustStorePassword=$(TRUSTSTORE_PASSWORD)'] : [])].join(' ');
  const q = (v: string) => k8s.Quantity.fromString(v);
  const template = maintenancePodTemplate(ctx, 'spark-dependencies', image, {
    containers: [{
      name: 'spark-dependencies',
      image,
      imagePullPolicy: 'IfNotPresent',
      env: [
        ...Object.entries(spark.env).map(([n, value]) => ({ name: n, value })),
        ...credentialEnv(ctx.resolved, spark.usernameEnv, spark.passwordEnv),
        ...(trust ? [{ name: 'TRUSTSTORE_PASSWORD', valueFrom: { secretKeyRef: { name: trust.secretName, key: trust.passwordKey ?? 'password' } } }] : []),
        { name: 'JAVA_OPTS', value: javaOpts },
        { name: 'SPARK_LOCAL_DIRS', value: '/tmp' },
        { name: 'HOME', value: '/tmp' },
      ],
      resources: resourceRequirements(resources),
      securityContext: restrictedContainerSecurityContext(JAEGER_UID, JAEGER_UID),
      volumeMounts: [
        { name: 'tmp', mountPath: '/tmp' },
        ...(trust ? [{ name: 'truststore', mountPath: TRUSTSTORE_DIR, readOnly: true }] : []),
      ],
    }],
    volumes: [
      // Spark spills to local disk; a day of spans needs more than the CLI jobs' 64Mi.
      { name: 'tmp', emptyDir: { sizeLimit: q('2Gi') } },
      ...(trust ? [{ name: 'truststore', secret: { secretName: trust.secretName } }] : []),
    ],
  });
  maintenanceCronJob(ctx, 'SparkDependencies', `${ctx.name}-spark-dependencies`, 'spark-dependencies', schedule, template);
}
