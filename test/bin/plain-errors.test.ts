import { synthWithPlainErrors } from '../../bin/plain-errors';
import { configError } from '../../lib/core/errors';

describe('the synth apps report a configuration error as a plain message', () => {
  const written: string[] = [];
  let write: jest.SpyInstance;
  beforeEach(() => {
    written.length = 0;
    write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { written.push(String(chunk)); return true; });
  });
  afterEach(() => {
    write.mockRestore();
    process.exitCode = undefined;
  });

  test('a configuration error: its message, exit code 1, no stack trace', () => {
    synthWithPlainErrors(() => { throw configError('App/Tempo', 'retention must be positive', -1, 'use Retention.days(1) or more'); });
    expect(process.exitCode).toBe(1);
    const text = written.join('');
    expect(text).toMatch(/^cdk-tracing: configuration error\n {2}\[.*\] .*\(got -1\)/);
    expect(text).not.toMatch(/\n\s+at /);
  });

  test('any other error is a bug: it propagates with its stack', () => {
    expect(() => synthWithPlainErrors(() => { throw new TypeError('boom'); })).toThrow(TypeError);
    expect(written).toEqual([]);
  });
});
