// Index retention for the chosen rotation: daily indices need only the cleaner; rollover
// needs its aliases created once (and, by default, the ILM/ISM policy); manual rollover
// also needs the rollover and lookback CronJobs.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IMAGES } from '../../core/versions';
import { renderIndexCleaner, renderLookback, renderRollover, renderRolloverInit, renderRolloverPolicy, rolloverPolicyPath } from '../../render/jaeger-config';
import { configChecksum } from '../checksum';
import { JaegerContext } from './context';
import { JOB_RESOURCES, jobContainer, jobPod, maintenanceCronJob } from './job-pods';
import { POLICY_DIR, policyScript } from './rollover-policy-script';
import { caVolume } from './storage-access';

export function retentionJobs(ctx: JaegerContext): void {
  const s = ctx.storage;
  const r = ctx.resolved;
  if (r.indexCleaner) {
    maintenanceCronJob(ctx, 'IndexCleaner', `${ctx.name}-es-index-cleaner`, 'es-index-cleaner', r.cleanerSchedule,
      jobPod(ctx, { component: 'es-index-cleaner', image: IMAGES.jaegerEsIndexCleaner, invocation: renderIndexCleaner(s) }));
  }
  if (s.rotation.mode === 'daily') return;

  const init = renderRolloverInit(s);
  const initContainers: k8s.Container[] = [];
  const extraVolumes: k8s.Volume[] = [];
  let policyJson = '';
  if (r.managePolicy) {
    policyJson = `${JSON.stringify(renderRolloverPolicy(s), null, 2)}\n`;
    const policyMap = new k8s.KubeConfigMap(ctx.scope, 'RolloverPolicy', {
      metadata: { name: `${ctx.name}-rollover-policy`, labels: ctx.labelsFor('es-rollover') },
      data: { 'policy.json': policyJson },
    });
    extraVolumes.push({ name: 'policy', configMap: { name: policyMap.name } });
    // The policy must exist before es-rollover init creates indices that reference it, hence an init container.
    const policyContainer = jobContainer(ctx, 'put-policy', IMAGES.curl, { args: [policyScript(s)], env: {} }, JOB_RESOURCES, caVolume(r).mounts);
    initContainers.push({
      ...policyContainer,
      command: ['/bin/sh', '-c'],
      env: [
        { name: 'POLICY_URL', value: `${s.serverUrls[0].replace(/\/$/, '')}${rolloverPolicyPath(s.engine, s.rotation.policyName!)}` },
        ...policyContainer.env!,
      ],
      volumeMounts: [...policyContainer.volumeMounts!, { name: 'policy', mountPath: POLICY_DIR, readOnly: true }],
    });
  }
  // A Job's pod template is immutable: any change to it (the invocation, the policy, but also an
  // image upgrade and its version label) must give the Job a new name, or the apply is refused.
  // So the name hashes the whole spec; the new Job runs again (es-rollover init is idempotent).
  const spec: k8s.JobSpec = {
    backoffLimit: 6,
    template: jobPod(ctx, { component: 'es-rollover', image: IMAGES.jaegerEsRollover, invocation: init, initContainers, extraVolumes }),
  };
  const hash = configChecksum(JSON.stringify(spec), policyJson).slice(0, 8);
  new k8s.KubeJob(ctx.scope, 'RolloverInit', {
    metadata: { name: `${ctx.name}-es-rollover-init-${hash}`, labels: ctx.labelsFor('es-rollover') },
    spec,
  });
  if (s.rotation.mode === 'manual-rollover') {
    maintenanceCronJob(ctx, 'Rollover', `${ctx.name}-es-rollover`, 'es-rollover', r.rolloverSchedule,
      jobPod(ctx, { component: 'es-rollover', image: IMAGES.jaegerEsRollover, invocation: renderRollover(s) }));
    maintenanceCronJob(ctx, 'Lookback', `${ctx.name}-es-lookback`, 'es-lookback', r.cleanerSchedule,
      jobPod(ctx, { component: 'es-lookback', image: IMAGES.jaegerEsRollover, invocation: renderLookback(s) }));
  }
}
