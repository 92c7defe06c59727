import { describe, expect, test } from 'vitest';
import { memoize, once } from '../../src/common/lazy.js';

describe('lazily built fixed values', () => {
  test('once builds on the first call only, and returns the same value after', () => {
    let builds = 0;
    const value = once(() => ({ build: ++builds }));
    expect(builds).toBe(0);
    const first = value();
    expect(value()).toBe(first);
    expect(builds).toBe(1);
  });

  test('once keeps an undefined value too, without building again', () => {
    let builds = 0;
    const value = once(() => {
      builds++;
      return undefined;
    });
    value();
    value();
    expect(builds).toBe(1);
  });

  test('memoize computes once per key, null and undefined results included', () => {
    const calls: string[] = [];
    const lookup = memoize((key: string) => {
      calls.push(key);
      return key === 'none' ? null : key === 'nothing' ? undefined : { key };
    });
    const a = lookup('a');
    expect(lookup('a')).toBe(a);
    expect(lookup('none')).toBeNull();
    expect(lookup('none')).toBeNull();
    expect(lookup('nothing')).toBeUndefined();
    expect(lookup('nothing')).toBeUndefined();
    expect(calls).toEqual(['a', 'none', 'nothing']);
  });
});
