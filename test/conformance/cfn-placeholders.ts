import { createHash } from 'crypto';

/**
 * Resolves the CloudFormation intrinsics inside a template value (the `Manifest` of a
 * `Custom::AWSCDK-EKS-KubernetesResource`) to placeholder strings of the shape CloudFormation would
 * produce at deploy time: a bucket name for a bucket's Ref, an ARN for `Fn::GetAtt [.., Arn]`, a
 * region for `AWS::Region`. The API server then judges the manifest as it would after deployment.
 * An intrinsic we cannot resolve throws, naming it, rather than letting a `{ "Ref": ... }` object
 * reach the server as if it were the value.
 */

export const PLACEHOLDER_ACCOUNT = '123456789012';
export const PLACEHOLDER_REGION = 'us-east-1';

type Template = { Resources?: Record<string, { Type: string; Properties?: any }>; Parameters?: Record<string, { Type?: string; Default?: unknown }> };

const SERVICE_OF_TYPE: Record<string, string> = {
  'AWS::IAM::Role': 'iam',
  'AWS::S3::Bucket': 's3',
  'AWS::KMS::Key': 'kms',
  'AWS::OpenSearchService::Domain': 'es',
  'AWS::SSM::Parameter': 'ssm',
  'AWS::Lambda::Function': 'lambda',
  'AWS::SQS::Queue': 'sqs',
  'AWS::SNS::Topic': 'sns',
  'AWS::EKS::Cluster': 'eks',
};

/** A DNS-1123 label (lowercase, at most 63 characters) made from a logical id, stable across runs. */
export function placeholderName(logicalId: string, maxLength = 63): string {
  const base = logicalId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
  const hash = createHash('sha256').update(logicalId).digest('hex').slice(0, 8);
  return `${base.slice(0, maxLength - 9).replace(/-+$/, '')}-${hash}`;
}

function refValue(template: Template, id: string, stackName: string): string {
  switch (id) {
    case 'AWS::Region': return PLACEHOLDER_REGION;
    case 'AWS::AccountId': return PLACEHOLDER_ACCOUNT;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::StackName': return stackName;
    case 'AWS::StackId': return `arn:aws:cloudformation:${PLACEHOLDER_REGION}:${PLACEHOLDER_ACCOUNT}:stack/${stackName}/00000000-0000-0000-0000-000000000000`;
    case 'AWS::NoValue': return '';
    default: break;
  }
  const parameter = template.Parameters?.[id];
  if (parameter) return typeof parameter.Default === 'string' ? parameter.Default : placeholderName(id);
  const resource = template.Resources?.[id];
  if (!resource) throw new Error(`Ref to '${id}', which is neither a resource nor a parameter of the template`);
  if (resource.Type === 'AWS::KMS::Key') return '00000000-0000-4000-8000-000000000000';
  // Bucket, role, domain, queue names: one lowercase label fits each of their naming rules.
  return placeholderName(id, resource.Type === 'AWS::OpenSearchService::Domain' ? 28 : 63);
}

function getAttValue(template: Template, id: string, attribute: string): string {
  const resource = template.Resources?.[id];
  if (!resource) throw new Error(`Fn::GetAtt on '${id}', which is not a resource of the template`);
  const name = refValue(template, id, 'stack');
  const service = SERVICE_OF_TYPE[resource.Type] ?? resource.Type.split('::')[1]?.toLowerCase() ?? 'x';
  if (/Arn$/.test(attribute)) {
    if (service === 'iam') return `arn:aws:iam::${PLACEHOLDER_ACCOUNT}:role/${name}`;
    if (service === 's3') return `arn:aws:s3:::${name}`;
    return `arn:aws:${service}:${PLACEHOLDER_REGION}:${PLACEHOLDER_ACCOUNT}:${resource.Type.split('::')[2]?.toLowerCase() ?? 'resource'}/${name}`;
  }
  if (attribute === 'DomainEndpoint') return `search-${name}.${PLACEHOLDER_REGION}.es.amazonaws.com`;
  if (attribute === 'RegionalDomainName' || attribute === 'DomainName') return `${name}.s3.${PLACEHOLDER_REGION}.amazonaws.com`;
  if (/Endpoint|Url|Uri/.test(attribute)) return `${name}.${PLACEHOLDER_REGION}.amazonaws.com`;
  if (/Id$/.test(attribute)) return name;
  return name;
}

/** `value` with every intrinsic function replaced by its placeholder result. */
export function resolveIntrinsics(value: unknown, template: Template, stackName: string): unknown {
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0];
      switch (key) {
        case 'Ref': return refValue(template, String(arg), stackName);
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/);
          return getAttValue(template, String(id), String(attribute));
        }
        case 'Fn::Join': {
          const [delimiter, parts] = arg as [string, unknown[]];
          return (resolve(parts) as unknown[]).map(String).join(delimiter);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (resolve(list) as unknown[])[Number(resolve(index))];
        }
        case 'Fn::Split': {
          const [delimiter, source] = arg as [string, unknown];
          return String(resolve(source)).split(delimiter);
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? arg as [string, Record<string, unknown>] : [String(arg), {}];
          const resolvedVars = Object.fromEntries(Object.entries(vars).map(([k, x]) => [k, String(resolve(x))]));
          return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
            if (name in resolvedVars) return resolvedVars[name];
            const [id, attribute] = name.split(/\.(.*)/);
            return attribute ? getAttValue(template, id, attribute) : refValue(template, id, stackName);
          });
        }
        case 'Fn::ImportValue': return placeholderName(String(resolve(arg)));
        case 'Fn::Base64': return Buffer.from(String(resolve(arg))).toString('base64');
        case 'Fn::GetAZs': return [`${PLACEHOLDER_REGION}a`, `${PLACEHOLDER_REGION}b`, `${PLACEHOLDER_REGION}c`];
        default:
          if (key.startsWith('Fn::')) throw new Error(`no placeholder for the intrinsic ${key} (${JSON.stringify(arg).slice(0, 120)})`);
      }
    }
    return Object.fromEntries(entries.map(([k, x]) => [k, resolve(x)]));
  };
  return resolve(value);
}
