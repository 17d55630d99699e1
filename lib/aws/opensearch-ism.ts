import { CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { configError } from '../core/errors';
import { Retention } from '../core/retention';
import { renderDailyIsmDeletePolicy } from '../render/jaeger-config';
import { validateIndexPrefix } from '../k8s/jaeger-storage';
import type { JaegerOpenSearchDomain } from './opensearch-domain';

/** Props of {@link OpenSearchIsmPolicy}. */
export interface OpenSearchIsmPolicyProps {
  /** The IAM-only domain. */
  readonly domain: JaegerOpenSearchDomain;
  /** Same Retention value Jaeger uses (`max_span_age`); at least one day. */
  readonly retention: Retention;
  /**
   * Jaeger's index prefix.
   * @default - no prefix
   */
  readonly indexPrefix?: string;
  /**
   * Policy name.
   * @default 'jaeger-retention'
   */
  readonly policyName?: string;
}

// SigV4 by hand with node:crypto, so the inline handler needs no bundled SDK. Kept under the 4 KiB inline limit.
const HANDLER = `
const c=require('crypto'),https=require('https');
const H=s=>c.createHash('sha256').update(s).digest('hex'),M=(k,s)=>c.createHmac('sha256',k).update(s).digest();
function req(m,host,p,q,body,region){const e=process.env,d=new Date().toISOString().replace(/[:-]|\\.\\d{3}/g,''),day=d.slice(0,8);
const h={host,'x-amz-date':d,'x-amz-content-sha256':H(body||''),'content-type':'application/json'};if(e.AWS_SESSION_TOKEN)h['x-amz-security-token']=e.AWS_SESSION_TOKEN;
const n=Object.keys(h).sort(),qs=Object.keys(q).sort().map(k=>k+'='+encodeURIComponent(q[k])).join('&');
const cr=[m,p,qs,n.map(k=>k+':'+h[k]+'\\n').join(''),n.join(';'),h['x-amz-content-sha256']].join('\\n'),sc=day+'/'+region+'/es/aws4_request';
let k=M('AWS4'+e.AWS_SECRET_ACCESS_KEY,day);k=M(k,region);k=M(k,'es');k=M(k,'aws4_request');
h.authorization='AWS4-HMAC-SHA256 Credential='+e.AWS_ACCESS_KEY_ID+'/'+sc+', SignedHeaders='+n.join(';')+', Signature='+c.createHmac('sha256',k).update(['AWS4-HMAC-SHA256',d,sc,H(cr)].join('\\n')).digest('hex');
return send({host,path:p+(qs?'?'+qs:''),method:m,headers:h},body);}
function send(o,body){return new Promise((ok,ko)=>{const r=https.request(o,s=>{let b='';s.on('data',x=>b+=x);s.on('end',()=>ok({status:s.statusCode,body:b}));});r.on('error',ko);if(body)r.write(body);r.end();});}
async function respond(ev,status,reason,id){const body=JSON.stringify({Status:status,Reason:reason,PhysicalResourceId:id,StackId:ev.StackId,RequestId:ev.RequestId,LogicalResourceId:ev.LogicalResourceId});
const u=new URL(ev.ResponseURL);await send({host:u.hostname,path:u.pathname+u.search,method:'PUT',headers:{'content-type':'','content-length':Buffer.byteLength(body)}},body);}
exports.handler=async ev=>{const p=ev.ResourceProperties,id=p.Endpoint+'/'+p.PolicyName,path='/_plugins/_ism/policies/'+p.PolicyName;
try{if(ev.RequestType!=='Delete'){const cur=await req('GET',p.Endpoint,path,{},'',p.Region);let q={};
if(cur.status===200){const j=JSON.parse(cur.body);q={if_seq_no:String(j._seq_no),if_primary_term:String(j._primary_term)};}
else if(cur.status!==404)throw new Error('GET '+path+': '+cur.status+' '+cur.body);
const r=await req('PUT',p.Endpoint,path,q,p.Policy,p.Region);if(r.status>=300)throw new Error('PUT '+path+': '+r.status+' '+r.body);}
await respond(ev,'SUCCESS','ok',id);}catch(err){console.error(err);await respond(ev,'FAILED',String(err.message).slice(0,500),ev.PhysicalResourceId||id);}};
`;

function latestNodeRuntime(): lambda.Runtime {
  const node = lambda.Runtime.ALL.filter((r) => /^nodejs\d+\.x$/.test(r.name));
  return node.sort((a, b) => Number(/\d+/.exec(a.name)![0]) - Number(/\d+/.exec(b.name)![0])).pop()!;
}

/**
 * An ISM policy on an IAM-only Amazon OpenSearch domain that deletes Jaeger's
 * daily indices once they are older than the retention (same cutoff as the
 * index cleaner: creation time plus whole days). Applied through an
 * `ism_template` to every new Jaeger index. The policy is left in place when
 * the stack is deleted (removing it would silently stop retention).
 *
 * The handler runs in the domain's subnets (private, with egress: it must
 * answer CloudFormation's pre-signed S3 URL) and signs with its own role,
 * which the domain's access policy admits.
 */
export class OpenSearchIsmPolicy extends Construct {
  public readonly policyName: string;
  /** The policy document, as sent. */
  public readonly policy: Record<string, unknown>;
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: OpenSearchIsmPolicyProps) {
    super(scope, id);
    const path = this.node.path;
    props.retention.validate(path, 'retention');
    if (props.retention.hours < 24) {
      throw configError(path, 'retention is shorter than one day, but Jaeger indices rotate daily', props.retention.toString(), 'use Retention.days(1) or longer');
    }
    if (props.indexPrefix !== undefined) validateIndexPrefix(path, props.indexPrefix);
    this.policyName = props.policyName ?? 'jaeger-retention';
    if (!/^[a-z0-9][a-z0-9_-]{0,127}$/.test(this.policyName)) {
      throw configError(path, 'policyName is not a valid ISM policy name', this.policyName, 'use lowercase letters, digits, "-" and "_"');
    }
    if (props.domain.auth.kind !== 'iam') {
      throw configError(path, 'the ISM retention policy is for IAM-only domains; with fine-grained access control the index cleaner enforces retention with basic auth',
        props.domain.auth.kind, 'remove the ISM policy, or use OpenSearchDomainAuth.iam()');
    }
    this.policy = renderDailyIsmDeletePolicy(props.indexPrefix, props.retention);

    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.domain.vpc,
      description: 'Jaeger ISM policy handler: HTTPS to the OpenSearch domain and to CloudFormation',
      allowAllOutbound: false,
    });
    sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'OpenSearch domain and the CloudFormation response URL (S3)');
    props.domain.connections.allowDefaultPortFrom(sg, 'Jaeger ISM policy handler');
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    const handler = new lambda.Function(this, 'Handler', {
      runtime: latestNodeRuntime(),
      handler: 'index.handler',
      code: lambda.Code.fromInline(HANDLER.trim()),
      timeout: Duration.minutes(2),
      memorySize: 256,
      vpc: props.domain.vpc,
      vpcSubnets: { subnets: props.domain.subnets },
      securityGroups: [sg],
      logGroup,
      description: `Puts the Jaeger ISM retention policy on ${props.domain.node.path}`,
    });
    props.domain.grantReadWrite(handler);
    Validations.of(sg).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'Egress only, on 443: the handler must reach the CloudFormation response URL in S3, whose addresses are not fixed.',
    });
    const role = handler.role!;
    for (const policy of ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole']) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
        reason: `${policy} is the minimal AWS-maintained policy for a Lambda in a VPC (log writing and ENI management).`,
      });
    }
    Validations.of(role).acknowledge({
      id: props.domain.nagDomainPathsFinding(),
      reason: 'Scoped to this one domain; the ISM API lives under _plugins paths of the domain.',
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::JaegerIsmPolicy',
      properties: {
        Endpoint: props.domain.domainEndpoint,
        Region: Stack.of(this).region,
        PolicyName: this.policyName,
        Policy: JSON.stringify(this.policy),
      },
    });
    // The role must be allowed before the first call.
    this.resource.node.addDependency(role);
  }
}
