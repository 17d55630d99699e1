import fc from 'fast-check';
import { Retention } from '../../lib/core';

/** Values that break naive code: empty, blank, unicode, very long, path-like, token-like. */
export const weirdString = fc.oneof(
  fc.constantFrom('', ' ', '\t', 'ünïcødé', '日本語', '💥', 'UPPER', 'with space', '-lead', 'trail-', 'a/b', '../x', 'a.b', 'x'.repeat(300), '${Token[TOKEN.1]}', 'null', '0'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

/** Sometimes a good value, sometimes an edge, sometimes nonsense. */
export function mixed<T>(good: fc.Arbitrary<T>, ...bad: Array<fc.Arbitrary<unknown>>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 25, arbitrary: good }, ...bad.map((b) => ({ weight: 1, arbitrary: b as fc.Arbitrary<T> })));
}

export function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 2 });
}

export const weirdNumber = fc.oneof(
  fc.constantFrom(0, -1, 0.5, -0.5, 1e12, Number.MAX_SAFE_INTEGER, Number.NaN, Number.POSITIVE_INFINITY, -1e9),
  fc.double({ noNaN: false }),
  fc.integer(),
);

export const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
export const name = mixed(dnsLabel, weirdString);
export const dnsLabelValue = mixed(dnsLabel, weirdString);
export const int = (min: number, max: number) => mixed(fc.integer({ min, max }), weirdNumber);

export const retention = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 1, max: 400 }).map((d) => Retention.days(d)) },
  { weight: 10, arbitrary: fc.integer({ min: 1, max: 2000 }).map((h) => Retention.hours(h)) },
  { weight: 1, arbitrary: weirdNumber.map((n) => Retention.days(n as number)) },
  { weight: 1, arbitrary: weirdNumber.map((n) => Retention.hours(n as number)) },
);

const cpu = mixed(fc.constantFrom('100m', '250m', '1', '2', '500m'), weirdString, fc.constantFrom('-1', '0', '1x', '1e3'));
const memory = mixed(fc.constantFrom('256Mi', '512Mi', '1Gi', '4Gi', '8Gi'), weirdString, fc.constantFrom('-1Gi', '0', '1GB', '1.5Gi'));
export const resources = maybe(fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(
    { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '512Mi' },
    { cpuRequest: '1', cpuLimit: '2', memoryRequest: '4Gi', memoryLimit: '4Gi' },
  ) },
  { weight: 1, arbitrary: fc.record({ cpuRequest: cpu, cpuLimit: cpu, memoryRequest: memory, memoryLimit: memory }) },
));
export const quantity = mixed(fc.constantFrom('1Gi', '20Gi', '500Gi', '100Mi'), weirdString, fc.constantFrom('-5Gi', '0', '1PB'));
export const logLevel = maybe(mixed(fc.constantFrom('debug', 'info', 'warn', 'error'), weirdString));
export const labelMap = mixed(
  fc.dictionary(dnsLabel, dnsLabel, { maxKeys: 3 }),
  fc.dictionary(weirdString, weirdString, { maxKeys: 2 }),
);
export const namespaces = maybe(fc.array(name, { maxLength: 3 }));
export const httpUrl = mixed(
  fc.constantFrom('http://prometheus.monitoring:9090/api/v1/write', 'https://prom.example.com/api/v1/write', 'http://10.0.0.1:9090/api/v1/write'),
  weirdString, fc.constantFrom('prometheus:9090', 'ftp://x', 'http://', 'https://a b/c'),
);
export const bucketName = mixed(fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}[a-z0-9]$/), weirdString, fc.constantFrom('Acme_Traces', 'ab', 'a..b', '192.168.0.1', 'xn--x', 'x-s3alias'));
export const region = mixed(fc.constantFrom('eu-west-1', 'us-east-1', 'ap-southeast-2'), weirdString);
