// The shell script of the init container that uploads the ILM (Elasticsearch) or ISM (OpenSearch) policy with curl.
import { JAEGER_ES_PASSWORD_ENV, JAEGER_ES_USERNAME_ENV, JaegerStorageConfig } from '../../render/jaeger-config';

/** Where the policy ConfigMap is mounted in the upload container. */
export const POLICY_DIR = '/etc/jaeger/policy';

/**
 * Creates or updates the ILM/ISM policy. ILM PUT is an upsert; an existing ISM
 * policy is only replaced with its current sequence number and primary term.
 */
export function policyScript(s: JaegerStorageConfig): string {
  const auth = s.auth.kind === 'basic' ? `-u "$${JAEGER_ES_USERNAME_ENV}:$${JAEGER_ES_PASSWORD_ENV}"` : '';
  const tls = s.tls?.caFile ? `--cacert ${s.tls.caFile}` : s.tls?.insecureSkipVerify ? '-k' : '';
  const curl = `curl -sS ${auth} ${tls}`.replace(/\s+/g, ' ').trim();
  const lines = ['set -eu', 'query=""'];
  if (s.engine === 'opensearch') {
    lines.push(
      `code=$(${curl} -o /tmp/current.json -w '%{http_code}' "$POLICY_URL")`,
      'if [ "$code" = "200" ]; then',
      '  seq=$(sed -n \'s/.*"_seq_no":\\([0-9]*\\).*/\\1/p\' /tmp/current.json)',
      '  term=$(sed -n \'s/.*"_primary_term":\\([0-9]*\\).*/\\1/p\' /tmp/current.json)',
      '  query="?if_seq_no=$seq&if_primary_term=$term"',
      'fi',
    );
  }
  lines.push(`${curl} --fail-with-body -X PUT -H 'Content-Type: application/json' --data-binary @${POLICY_DIR}/policy.json "$POLICY_URL$query"`);
  return lines.join('\n');
}
