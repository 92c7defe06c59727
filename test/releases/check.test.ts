import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { checkReleases, parseLedger, type LatestReleaseLookup } from '../../src/releases/index.js';
import { editScalars } from '../../src/releases/yaml-edit.js';

const platform = parseConfig('platform.yaml', await readFile(new URL('../../platform.yaml', import.meta.url), 'utf8')).config;
const { ledger } = parseLedger('releases.lock.yaml', await readFile(new URL('../../releases.lock.yaml', import.meta.url), 'utf8'));

/** Every variant's latest is `version`, published on `published`; records the regions asked. */
function stubLookup(version: string, published?: Date): LatestReleaseLookup & { regions: string[] } {
  const regions: string[] = [];
  const lookup = async (region: string, variants: Parameters<LatestReleaseLookup>[1]) => {
    regions.push(region);
    return new Map(variants.map((variant) => {
      const key = `${variant.name}/${variant.architecture}`;
      return [key, { variant: key, parameter: `/aws/service/bottlerocket/${key}/latest/image_version`, version, ...(published ? { published } : {}) }];
    }));
  };
  return Object.assign(lookup, { regions });
}

describe('checkReleases', () => {
  test('GIVEN 1.49.0 is out and the ledger knows 1.47.0 THEN prod on 1.46.0 is two releases behind since 1.47.0 first ran, and nobody but dev may take it', async () => {
    const lookup = stubLookup('1.49.0-99aa88bb', new Date('2026-11-25T08:00:00Z'));
    const statuses = await checkReleases(platform, ledger, platform.environments, new Date('2026-11-27T12:00:00Z'), lookup);

    expect(lookup.regions).toEqual(['us-gov-west-1']);
    expect(statuses.map((s) => [s.environment, s.nodeGroup, s.releasesBehind, s.daysBehind, s.mayTakeNow])).toEqual([
      ['dev', 'general', 1, 2, true],
      ['staging', 'general', 1, 2, false],
      ['staging', 'graviton', 1, 2, false],
      ['prod', 'general', 2, 38, false],
    ]);
    expect(statuses[1]?.promotion).toBe('staging may not take release 1.49.0-99aa88bb on 2026-11-27: dev has not run release 1.49.0-99aa88bb');
    expect(statuses[0]?.latestPublished).toBe('2026-11-25');
  });

  test('GIVEN the latest equals the pin THEN the node group is current and has no days behind', async () => {
    const [dev] = await checkReleases(platform, ledger, [platform.environments[0]!], new Date('2026-11-27T00:00:00Z'), stubLookup('1.47.0-6154605b'));
    expect(dev).toMatchObject({ current: true, releasesBehind: 0 });
    expect(dev).not.toHaveProperty('daysBehind');
  });
});

describe('editScalars', () => {
  test('GIVEN quoted scalars with trailing comments THEN only the value changes and the quoting style stays', () => {
    const text = 'a:\n  # keep me\n  releaseVersion: "1.47.0-6154605b"   # pinned by ops\n  other:   [x,  y]\n';
    expect(editScalars(text, [{ path: ['a', 'releaseVersion'], value: '1.48.0-0a1b2c3d' }])).toBe(
      'a:\n  # keep me\n  releaseVersion: "1.48.0-0a1b2c3d"   # pinned by ops\n  other:   [x,  y]\n',
    );
  });

  test('a path that is not a scalar is a programming error, not a silent no-op', () => {
    expect(() => editScalars('a: {b: 1}\n', [{ path: ['a'], value: 'x' }])).toThrow(/no scalar at a to edit/);
  });
});
