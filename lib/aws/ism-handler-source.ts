/**
 * Source of the Lambda custom-resource handler behind `Custom::JaegerIsmPolicy`
 * ({@link OpenSearchIsmPolicy}), deployed inline as `index.js` (CloudFormation
 * `ZipFile`, at most 4096 characters: test/aws/ism-handler.test.ts checks it).
 *
 * Inline code cannot bring dependencies, so it uses only Node built-ins and
 * AWS SDK v3 packages that the Lambda Node.js runtime preinstalls:
 * `@smithy/signature-v4` signs, `@aws-sdk/credential-provider-node` finds the
 * role's credentials. The SHA-256 it needs comes from `node:crypto`, because
 * the SDK package that provides it has moved between SDK releases.
 *
 * Plain JavaScript (CommonJS) on purpose; no template literals, so it can live
 * in this TypeScript template string unescaped.
 *
 * @see OpenSearchIsmPolicy
 */
export const ISM_HANDLER_SOURCE = `
// Custom::JaegerIsmPolicy: puts an ISM policy on an IAM-only OpenSearch domain.
const crypto = require('crypto');
const http = require('http');
const https = require('https');
const { SignatureV4 } = require('@smithy/signature-v4');
const { defaultProvider } = require('@aws-sdk/credential-provider-node');

// The role's credentials (from the environment on Lambda).
const credentials = defaultProvider();

// SignatureV4's hash: SHA-256, HMAC-SHA256 when given a key.
class Sha256 {
  constructor(key) { this.h = key ? crypto.createHmac('sha256', key) : crypto.createHash('sha256'); }
  update(data) { this.h.update(data); }
  async digest() { return this.h.digest(); }
}

// One HTTP(S) request; resolves to { status, body }.
function send(url, method, headers, body) {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'http:' ? http : https;
    const req = client.request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.setTimeout(20000, () => req.destroy(new Error('timeout: ' + url.host)));
    req.on('error', reject);
    req.end(body);
  });
}

// A request to the domain, signed (SigV4, service "es").
// Protocol: tests only (HTTP to 127.0.0.1); the construct never sets it.
async function callDomain(props, method, path, query, body) {
  const protocol = props.Protocol || 'https';
  const base = new URL(protocol + '://' + props.Endpoint);
  if (protocol !== 'https' && base.hostname !== '127.0.0.1') throw new Error('Protocol is for tests');
  const headers = { host: base.host, 'content-type': 'application/json' };
  if (body) headers['content-length'] = String(Buffer.byteLength(body));
  const signer = new SignatureV4({ service: 'es', region: props.Region, credentials, sha256: Sha256 });
  const signed = await signer.sign({ method, protocol: base.protocol, hostname: base.hostname, path, query, headers, body });
  return send(new URL(path + '?' + new URLSearchParams(query), base), method, signed.headers, body);
}

// The answer CloudFormation waits for.
async function respond(event, status, reason, physicalId) {
  const body = JSON.stringify({
    Status: status, Reason: reason, PhysicalResourceId: physicalId,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
  });
  const res = await send(new URL(event.ResponseURL), 'PUT', { 'content-type': '', 'content-length': Buffer.byteLength(body) }, body);
  if (res.status >= 300) console.error('ResponseURL:', res.status, res.body);
}

exports.handler = async (event, context) => {
  const props = event.ResourceProperties;
  const physicalId = props.Endpoint + '/' + props.PolicyName;
  const path = '/_plugins/_ism/policies/' + props.PolicyName;
  try {
    // On Delete the policy stays: removing it would silently stop retention.
    if (event.RequestType !== 'Delete') {
      const current = await callDomain(props, 'GET', path, {});
      let query = {};
      if (current.status === 200) {
        // Update only if nobody changed it since the GET.
        const doc = JSON.parse(current.body);
        query = { if_seq_no: String(doc._seq_no), if_primary_term: String(doc._primary_term) };
      } else if (current.status !== 404) {
        throw new Error('GET ' + path + ': ' + current.status + ' ' + current.body);
      }
      const put = await callDomain(props, 'PUT', path, query, props.Policy);
      if (put.status >= 300) throw new Error('PUT ' + path + ': ' + put.status + ' ' + put.body);
    }
    await respond(event, 'SUCCESS', 'ok', physicalId);
  } catch (err) {
    console.error(err);
    const reason = String(err && err.message || err).slice(0, 500) + ' (log stream ' + (context || {}).logStreamName + ')';
    await respond(event, 'FAILED', reason, event.PhysicalResourceId || physicalId);
  }
};
`.trim();
