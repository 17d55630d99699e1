/**
 * How verify reads answers only Amazon S3 gives (s3rver never does): a HEAD
 * signed for the wrong region, 405 on GetBucketPolicy for a caller outside the
 * bucket owner's account, NoSuchBucketPolicy. A tiny HTTP server on 127.0.0.1
 * replays them byte for byte so the real SDK parses them.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { CreateBucketCommand, DeleteObjectsCommand, PutBucketLifecycleConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { checkBucketSettings } from '../../lib/verify/bucket-settings';
import { runCli } from '../../lib/verify/cli';
import { createReadOnlyClient } from '../../lib/verify/client';
import type { CheckResult } from '../../lib/verify/types';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Answer = { status: number; headers?: Record<string, string>; body?: string };
let answer: (req: http.IncomingMessage) => Answer;
let server: http.Server;
let endpoint: string;

const xmlError = (code: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message>${extra}<RequestId>R</RequestId></Error>`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const a = answer(req);
    res.writeHead(a.status, { 'content-type': 'application/xml', ...a.headers });
    res.end(req.method === 'HEAD' ? undefined : a.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

/** Runs `verify` against the loopback server, signing for us-east-1. */
async function verifyInUsEast1(): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCli(['verify', '--bucket', 'traces', '--endpoint', endpoint, '--region', 'us-east-1', '--retention', '14d'], {
    stdout: { write: () => undefined },
    stderr: { write: (t: string) => { stderr += t; } },
    env: {},
    cwd: '/',
    createClient: (o) => createReadOnlyClient({ ...o, credentials }),
  });
  return { code, stderr };
}

describe('wrong region', () => {
  test('a HEAD signed for the wrong region (bare 400 with x-amz-bucket-region) names the bucket region, exit 2', async () => {
    // What S3 sends for HeadBucket when the request is signed for us-east-1 but the bucket is elsewhere.
    answer = () => ({ status: 400, headers: { 'x-amz-bucket-region': 'eu-central-1' } });
    const { code, stderr } = await verifyInUsEast1();
    expect(code).toBe(2);
    expect(stderr).toBe('error: could not check: bucket "traces" is not in region us-east-1: the bucket is in region eu-central-1; pass --region eu-central-1\n');
  });

  test('a bare 400 whose x-amz-bucket-region is ours is not blamed on the region', async () => {
    answer = () => ({ status: 400, headers: { 'x-amz-bucket-region': 'us-east-1' } });
    const { code, stderr } = await verifyInUsEast1();
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/region/);
    expect(stderr).toMatch(/^error: could not check: could not read bucket "traces" at http:\/\/127\.0\.0\.1:\d+: .*HTTP 400/);
  });
});

describe('bucket policy answers', () => {
  let client: S3Client;
  beforeAll(() => {
    client = createReadOnlyClient({ region: 'us-east-1', endpoint, credentials });
  });
  afterAll(() => client.destroy());

  /** Every settings API answers "not configured" except the policy, which answers `policy`. */
  function serve(policy: Answer): void {
    answer = (req) => {
      const url = req.url ?? '';
      if (url.includes('policy')) return policy;
      if (url.includes('lifecycle')) return { status: 404, body: xmlError('NoSuchLifecycleConfiguration') };
      if (url.includes('publicAccessBlock')) return { status: 404, body: xmlError('NoSuchPublicAccessBlockConfiguration') };
      if (url.includes('encryption')) return { status: 404, body: xmlError('ServerSideEncryptionConfigurationNotFoundError') };
      return { status: 200, body: '<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult><Bucket>traces</Bucket><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>' };
    };
  }

  async function policyCheck(customEndpoint: boolean): Promise<CheckResult> {
    const results = await checkBucketSettings(client, 'traces', '', { defaultHours: 336, perTenantHours: {} }, new Date(), customEndpoint);
    return results.find((r) => r.check === 'tls-policy')!;
  }

  const methodNotAllowed: Answer = { status: 405, body: xmlError('MethodNotAllowed', '<Method>GET</Method><ResourceType>BUCKETPOLICY</ResourceType>') };

  test('on Amazon S3, 405 means "not the bucket owner", not "not supported by this endpoint"', async () => {
    serve(methodNotAllowed);
    const result = await policyCheck(false);
    expect(result.status).toBe('could-not-check');
    expect(result.detail).toBe('could not check: S3 answered MethodNotAllowed (HTTP 405); Amazon S3 answers 405 when the caller is not in the bucket owner\'s account');
  });

  test('on an S3-compatible --endpoint, 405 is "not supported by this endpoint"', async () => {
    serve(methodNotAllowed);
    const result = await policyCheck(true);
    expect(result.status).toBe('not-supported');
    expect(result.detail).toBe('not supported by this endpoint (MethodNotAllowed, HTTP 405)');
  });

  test('NoSuchBucketPolicy is "no policy": a finding, on either kind of endpoint', async () => {
    serve({ status: 404, body: xmlError('NoSuchBucketPolicy') });
    for (const custom of [false, true]) {
      const result = await policyCheck(custom);
      expect(result.status).toBe('finding');
      expect(result.detail).toMatch(/^the bucket has no policy, so requests over plain HTTP are allowed/);
    }
  });
});

describe('read-only guard', () => {
  test('Put, Delete and Create commands are refused before any byte reaches the endpoint', async () => {
    let requests = 0;
    answer = () => {
      requests++;
      return { status: 200, body: '' };
    };
    const sent: string[] = [];
    const client = createReadOnlyClient({ region: 'us-east-1', endpoint, credentials, onCommand: (c) => sent.push(c) });
    try {
      const writes = [
        new PutObjectCommand({ Bucket: 'traces', Key: 'work.json', Body: '{}' }),
        new DeleteObjectsCommand({ Bucket: 'traces', Delete: { Objects: [{ Key: 'work.json' }] } }),
        new CreateBucketCommand({ Bucket: 'traces' }),
        new PutBucketLifecycleConfigurationCommand({ Bucket: 'traces', LifecycleConfiguration: { Rules: [] } }),
      ];
      for (const command of writes) {
        await expect(client.send(command as never)).rejects.toThrow(/^verify is read-only and refused to send \w+Command$/);
      }
      expect(sent).toEqual(['PutObjectCommand', 'DeleteObjectsCommand', 'CreateBucketCommand', 'PutBucketLifecycleConfigurationCommand']);
      expect(requests).toBe(0);
    } finally {
      client.destroy();
    }
  });
});
