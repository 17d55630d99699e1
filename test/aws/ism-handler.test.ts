/**
 * Runs the ISM custom-resource handler for real: the source deployed as the
 * Lambda's inline `index.js` is loaded as a CommonJS module whose `require`
 * resolves to this repository's node_modules (where @aws-sdk/client-s3 brings
 * @smithy/signature-v4 and @aws-sdk/credential-provider-node, as the Lambda
 * runtime does), and is invoked against a plain-HTTP server on 127.0.0.1 that
 * stands in for both the OpenSearch domain and CloudFormation's ResponseURL.
 */
import * as http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { JaegerOpenSearchDomain, OpenSearchIsmPolicy } from '../../lib/aws';
import { ISM_HANDLER_SOURCE } from '../../lib/aws/ism-handler-source';
import { Retention } from '../../lib/core';
import { renderDailyIsmDeletePolicy } from '../../lib/render/jaeger-config';

/** Node's own require, resolving from the repository root, outside jest's module registry. */
const repoRequire = createRequire(path.join(__dirname, '..', '..', 'package.json'));

const CREDS = { accessKeyId: 'AKIDISMHANDLERTEST', secretAccessKey: 'ism-handler-test-secret', sessionToken: 'ism-handler-test-session-token' };
const REGION = 'eu-west-1';
const POLICY_PATH = '/_plugins/_ism/policies/jaeger-retention';

type Handler = (event: Record<string, unknown>, context?: { logStreamName: string }) => Promise<void>;

/** Loads the source as Lambda would load index.js (CommonJS), with a fresh module (and credential cache) per call. */
function loadHandler(source: string): Handler {
  const module = { exports: {} as { handler?: Handler } };
  new Function('exports', 'require', 'module', '__filename', '__dirname', source)(module.exports, repoRequire, module, '/var/task/index.js', '/var/task');
  return module.exports.handler!;
}

/** The deployed template: the handler's code and the custom resource's properties, as CloudFormation gets them. */
function synth() {
  const app = new App();
  const stack = new Stack(app, 'Tracing', { env: { account: '111111111111', region: REGION } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2', 'subnet-0ccccccccccccccc3'],
  });
  const domain = new JaegerOpenSearchDomain(stack, 'Domain', { vpc, domainName: 'jaeger-test' });
  const ism = new OpenSearchIsmPolicy(stack, 'Ism', { domain, retention: Retention.days(7), indexPrefix: 'prod' });
  const template = Template.fromStack(stack);
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as any;
  const cr = Object.values(template.findResources('Custom::JaegerIsmPolicy'))[0] as any;
  return { ism, fn, properties: cr.Properties as Record<string, unknown> };
}

interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

/** One loopback server: the OpenSearch domain (ISM policy API) and the CloudFormation ResponseURL. */
class FakeAws {
  /** Requests to the domain, in order. */
  public domainRequests: Seen[] = [];
  /** Bodies PUT to the ResponseURL, parsed, and the requests that carried them. */
  public cfnResponses: any[] = [];
  public cfnRequests: Seen[] = [];
  public getPolicy = { status: 404, body: '{"error":{"type":"status_exception","reason":"Policy not found"},"status":404}' };
  public putPolicy = { status: 201, body: '{"_id":"jaeger-retention","_version":1,"_primary_term":1,"_seq_no":0}' };
  private readonly server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const seen = { method: req.method!, url: req.url!, headers: req.headers, body };
      const { pathname } = new URL(req.url!, 'http://127.0.0.1');
      let answer = { status: 404, body: '{}' };
      if (pathname === '/cfn-response') {
        this.cfnRequests.push(seen);
        this.cfnResponses.push(JSON.parse(body));
        answer = { status: 200, body: '' };
      } else {
        this.domainRequests.push(seen);
        if (pathname === POLICY_PATH && req.method === 'GET') answer = this.getPolicy;
        if (pathname === POLICY_PATH && req.method === 'PUT') answer = this.putPolicy;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });

  public get endpoint(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public start(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  public stop(): Promise<void> {
    return new Promise((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * Re-signs the request exactly as the server received it (with the signer of
 * the SDK, its own SHA-256, and the request's x-amz-date) and compares: the
 * signature covers what went over the wire, as OpenSearch Service checks it.
 */
async function expectSignatureOverWire(seen: Seen, creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  const auth = String(seen.headers.authorization);
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/.exec(auth);
  expect(m).not.toBeNull();
  const [, keyId, day, region, service, signedHeaders] = m!;
  expect({ keyId, region, service }).toEqual({ keyId: creds.accessKeyId, region: REGION, service: 'es' });
  const amzDate = String(seen.headers['x-amz-date']);
  expect(amzDate).toMatch(/^\d{8}T\d{6}Z$/);
  expect(amzDate.slice(0, 8)).toBe(day);
  expect(signedHeaders.split(';')).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-content-sha256', 'content-type']));
  if (creds.sessionToken) expect(signedHeaders.split(';')).toContain('x-amz-security-token');

  const { SignatureV4 } = repoRequire('@smithy/signature-v4');
  const { Sha256 } = repoRequire('@smithy/core/checksum');
  const url = new URL(seen.url, 'http://127.0.0.1');
  const headers = Object.fromEntries(signedHeaders.split(';').map((h) => [h, String(seen.headers[h])]));
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const resigned = await new SignatureV4({ service: 'es', region: REGION, credentials: creds, sha256: Sha256 }).sign(
    { method: seen.method, protocol: 'http:', hostname: '127.0.0.1', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: seen.body || undefined },
    { signingDate },
  );
  expect(resigned.headers.authorization).toBe(auth);
}

describe('ISM policy custom-resource handler', () => {
  const aws = new FakeAws();
  const envKeys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
  const savedEnv: Record<string, string | undefined> = {};
  const { ism, fn, properties } = synth();
  let errorLog: jest.SpyInstance;

  beforeAll(async () => {
    for (const k of envKeys) savedEnv[k] = process.env[k];
    await aws.start();
  });
  afterAll(async () => {
    for (const k of envKeys) {
      if (savedEnv[k] === undefined) delete process.env[k];
      else process.env[k] = savedEnv[k];
    }
    await aws.stop();
  });
  beforeEach(() => {
    // Static test credentials, read by the SDK's default provider chain (environment first).
    process.env.AWS_ACCESS_KEY_ID = CREDS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = CREDS.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = CREDS.sessionToken;
    aws.domainRequests = [];
    aws.cfnRequests = [];
    aws.cfnResponses = [];
    aws.getPolicy = { status: 404, body: '{"error":{"type":"status_exception","reason":"Policy not found"},"status":404}' };
    aws.putPolicy = { status: 201, body: '{"_id":"jaeger-retention","_version":1,"_primary_term":1,"_seq_no":0}' };
    errorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => errorLog.mockRestore());

  /** A CloudFormation event for the synthesized resource, pointed at the loopback server (Protocol: test-only). */
  function event(requestType: 'Create' | 'Update' | 'Delete', overrides: Record<string, unknown> = {}) {
    return {
      RequestType: requestType,
      ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:ism',
      ResponseURL: `http://${aws.endpoint}/cfn-response?X-Amz-Signature=presigned`,
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Tracing/guid',
      RequestId: 'request-1',
      LogicalResourceId: 'IsmResource',
      ResourceType: 'Custom::JaegerIsmPolicy',
      ...(requestType === 'Create' ? {} : { PhysicalResourceId: `${aws.endpoint}/jaeger-retention` }),
      ResourceProperties: { ...properties, Endpoint: aws.endpoint, Protocol: 'http', ...overrides },
    };
  }

  const run = (ev: ReturnType<typeof event>) => loadHandler(fn.Properties.Code.ZipFile)(ev, { logStreamName: '2026/01/01/[$LATEST]abc' });

  test('deployed inline, as written: under the 4096-character ZipFile limit, pinned runtime, no test-only property', () => {
    expect(ISM_HANDLER_SOURCE.length).toBeLessThan(4096);
    expect(fn.Properties.Code.ZipFile).toBe(ISM_HANDLER_SOURCE);
    expect(fn.Properties.Handler).toBe('index.handler');
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(Object.keys(properties).sort()).toEqual(['Endpoint', 'Policy', 'PolicyName', 'Region', 'ServiceToken']);
    expect(ISM_HANDLER_SOURCE).toContain("require('@smithy/signature-v4')");
  });

  test('Create, no policy yet: GET then a SigV4-signed PUT (service es, region, session token) of the rendered policy, no concurrency query', async () => {
    await run(event('Create'));
    expect(aws.domainRequests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${POLICY_PATH}`, `PUT ${POLICY_PATH}`]);
    const [get, put] = aws.domainRequests;
    for (const r of [get, put]) {
      await expectSignatureOverWire(r, CREDS);
      expect(r.headers['x-amz-security-token']).toBe(CREDS.sessionToken);
      expect(r.headers.host).toBe(aws.endpoint);
    }
    expect(put.headers['content-type']).toBe('application/json');
    expect(put.body).toBe(properties.Policy);
    expect(JSON.parse(put.body)).toEqual(renderDailyIsmDeletePolicy('prod', Retention.days(7)));
    expect(JSON.parse(put.body)).toEqual(ism.policy);
    expect(aws.cfnResponses).toEqual([{
      Status: 'SUCCESS', Reason: 'ok', PhysicalResourceId: `${aws.endpoint}/jaeger-retention`,
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Tracing/guid', RequestId: 'request-1', LogicalResourceId: 'IsmResource',
    }]);
    // The pre-signed S3 URL is signed without a content type.
    expect(aws.cfnRequests[0].method).toBe('PUT');
    expect(aws.cfnRequests[0].url).toBe('/cfn-response?X-Amz-Signature=presigned');
    expect(aws.cfnRequests[0].headers['content-type']).toBe('');
    expect(errorLog).not.toHaveBeenCalled();
  });

  test('Update of an existing policy: PUT with if_seq_no / if_primary_term from the GET', async () => {
    aws.getPolicy = { status: 200, body: JSON.stringify({ _id: 'jaeger-retention', _version: 3, _seq_no: 17, _primary_term: 2, policy: { description: 'old' } }) };
    aws.putPolicy = { status: 200, body: '{"_id":"jaeger-retention","_version":4,"_primary_term":2,"_seq_no":18}' };
    await run(event('Update'));
    const put = aws.domainRequests[1];
    expect(put.method).toBe('PUT');
    const url = new URL(put.url, 'http://127.0.0.1');
    expect(url.pathname).toBe(POLICY_PATH);
    expect(Object.fromEntries(url.searchParams)).toEqual({ if_seq_no: '17', if_primary_term: '2' });
    await expectSignatureOverWire(put, CREDS); // the query is part of what is signed
    expect(put.body).toBe(properties.Policy);
    expect(aws.cfnResponses.map((r) => r.Status)).toEqual(['SUCCESS']);
  });

  test('without a session token: signed with the static keys, no x-amz-security-token', async () => {
    delete process.env.AWS_SESSION_TOKEN;
    await run(event('Create'));
    const put = aws.domainRequests[1];
    const { sessionToken: _none, ...keys } = CREDS;
    await expectSignatureOverWire(put, keys);
    expect(put.headers['x-amz-security-token']).toBeUndefined();
    expect(aws.cfnResponses.map((r) => r.Status)).toEqual(['SUCCESS']);
  });

  test('Delete: the policy stays, nothing is sent to the domain, SUCCESS with the same physical id', async () => {
    await run(event('Delete'));
    expect(aws.domainRequests).toEqual([]);
    expect(aws.cfnResponses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: `${aws.endpoint}/jaeger-retention` })]);
  });

  test.each([
    ['GET answers 500', () => { aws.getPolicy = { status: 500, body: '{"error":"boom"}' }; }, `GET ${POLICY_PATH}: 500 {"error":"boom"}`, 1],
    ['PUT conflicts (409: changed since the GET)', () => {
      aws.getPolicy = { status: 200, body: '{"_seq_no":1,"_primary_term":1}' };
      aws.putPolicy = { status: 409, body: '{"error":{"type":"version_conflict_engine_exception"}}' };
    }, `PUT ${POLICY_PATH}: 409 {"error":{"type":"version_conflict_engine_exception"}}`, 2],
    ['PUT is denied (403)', () => { aws.putPolicy = { status: 403, body: '{"message":"no permissions"}' }; }, `PUT ${POLICY_PATH}: 403 {"message":"no permissions"}`, 2],
  ])('failure reported as FAILED with a useful reason and logged: %s', async (_name, arrange, reason, domainCalls) => {
    arrange();
    await run(event('Update'));
    expect(aws.domainRequests).toHaveLength(domainCalls);
    expect(aws.cfnResponses).toEqual([expect.objectContaining({
      Status: 'FAILED', PhysicalResourceId: `${aws.endpoint}/jaeger-retention`, RequestId: 'request-1', LogicalResourceId: 'IsmResource',
    })]);
    expect(aws.cfnResponses[0].Reason).toBe(`${reason} (log stream 2026/01/01/[$LATEST]abc)`);
    expect(errorLog).toHaveBeenCalledWith(expect.objectContaining({ message: reason }));
  });

  test('an unreachable domain is reported as FAILED (connection refused), not left for CloudFormation to time out', async () => {
    const port = await closedPort();
    const ev = event('Create', { Endpoint: `127.0.0.1:${port}` });
    await run(ev);
    expect(aws.cfnResponses).toEqual([expect.objectContaining({ Status: 'FAILED', PhysicalResourceId: `127.0.0.1:${port}/jaeger-retention` })]);
    expect(aws.cfnResponses[0].Reason).toMatch(/ECONNREFUSED/);
    expect(errorLog).toHaveBeenCalled();
  });

  test('the test-only Protocol cannot send plain HTTP anywhere but 127.0.0.1', async () => {
    await run(event('Create', { Endpoint: 'search-jaeger.eu-west-1.es.amazonaws.com' }));
    expect(aws.domainRequests).toEqual([]);
    expect(aws.cfnResponses).toEqual([expect.objectContaining({ Status: 'FAILED' })]);
    expect(aws.cfnResponses[0].Reason).toMatch(/^Protocol is for tests/);
  });
});
