import { Retention, goMemLimit, parseCpuMillis, parseMemoryBytes, resolveTempoTenancy } from '../../lib/core';

describe('Retention', () => {
  test('days and hours convert for Tempo and day-granular systems', () => {
    expect(Retention.days(14).toTempoDuration()).toBe('336h');
    expect(Retention.hours(25).toDaysCeil()).toBe(2);
    expect(Retention.days(3).toDaysCeil()).toBe(3);
  });

  test('parses the Go durations Tempo prints', () => {
    expect(Retention.parseTempoDuration('336h0m0s')?.hours).toBe(336);
    expect(Retention.parseTempoDuration('48h')?.hours).toBe(48);
    expect(Retention.parseTempoDuration('90m')).toBeUndefined();
    expect(Retention.parseTempoDuration('14d')).toBeUndefined();
    expect(Retention.parseTempoDuration('')).toBeUndefined();
  });
});

describe('quantities', () => {
  test('parse memory and CPU, and GOMEMLIMIT stays below the limit', () => {
    expect(parseMemoryBytes('4Gi')).toBe(4 * 1024 ** 3);
    expect(parseMemoryBytes('1G')).toBe(1e9);
    expect(parseMemoryBytes('4GB')).toBeUndefined();
    expect(parseCpuMillis('500m')).toBe(500);
    expect(parseCpuMillis('2')).toBe(2000);
    expect(goMemLimit('1Gi', 0.8)).toBe('819MiB');
  });
});

describe('tenancy resolution', () => {
  test('tenants inherit default limits and retention; the longest retention is known', () => {
    const t = resolveTempoTenancy('p', {
      retention: Retention.days(7), multitenancy: true, limits: { maxTracesPerUser: 5 },
      tenants: [{ id: 'a' }, { id: 'b', retention: Retention.days(30), limits: { maxBytesPerTrace: 1_000 } }],
    });
    expect(t.tenants[0]).toMatchObject({ id: 'a', retention: Retention.days(7), limits: { maxTracesPerUser: 5 } });
    expect(t.tenants[1].limits).toMatchObject({ maxTracesPerUser: 5, maxBytesPerTrace: 1_000 });
    expect(t.longestRetention.hours).toBe(720);
    expect(t.tenantDirectories).toEqual(['a', 'b']);
  });

  test('single tenant lives in single-tenant/', () => {
    expect(resolveTempoTenancy('p', {}).tenantDirectories).toEqual(['single-tenant']);
  });
});
