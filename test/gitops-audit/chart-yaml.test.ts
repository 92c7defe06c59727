import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { decodeYamlStream } from '../../src/common/kubernetes-yaml.js';
import { findChart, MissingSubchartError, renderableChart, type ChartRelease } from '../../src/gitops-audit/index.js';

/** A chart folder whose subchart `extra` is absent from charts/ and switched by `extra.enabled`. */
async function chart(dir: string, defaults: string): Promise<string> {
  const source = join(dir, 'demo');
  await mkdir(join(source, 'templates'), { recursive: true });
  await writeFile(join(source, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 1.2.3\ndependencies:\n  - name: extra\n    version: 0.1.0\n    condition: extra.enabled\n');
  await writeFile(join(source, 'values.yaml'), defaults);
  return source;
}

const release = (values: Record<string, unknown> = {}): ChartRelease => ({ releaseName: 'demo', namespace: 'demo', chart: 'demo', version: '1.2.3', values });

describe('chart YAML is read as Helm reads it (go-yaml v2)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chart-yaml-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('GIVEN the chart defaults `extra.enabled: no` THEN the absent subchart is off, and the copy Helm renders drops it', async () => {
    const source = await chart(dir, 'extra:\n  enabled: no\n');
    const renderable = renderableChart(source, release());
    try {
      expect(renderable.path).not.toBe(source);
      const metadata = decodeYamlStream('Chart.yaml', await readFile(join(renderable.path, 'Chart.yaml'), 'utf8'))[0]!.value as { dependencies: unknown[]; version: string };
      expect(metadata.dependencies).toEqual([]);
      expect(metadata.version).toBe('1.2.3');
    } finally {
      renderable.cleanup();
    }
    expect(existsSync(renderable.path)).toBe(false);
  });

  test('GIVEN the chart defaults `extra.enabled: "no"` (a string: Helm ignores a non-bool condition and keeps the subchart) THEN the missing subchart is named', async () => {
    const source = await chart(dir, 'extra:\n  enabled: "no"\n');
    expect(() => renderableChart(source, release())).toThrow(MissingSubchartError);
  });

  test('GIVEN a chart folder at another version THEN findChart refuses it', async () => {
    await chart(dir, '');
    expect(findChart(dir, { chart: 'demo', version: '1.2.3' })).toBe(join(dir, 'demo'));
    expect(() => findChart(dir, { chart: 'demo', version: '1.2.4' })).toThrow(/holds demo 1.2.3/);
  });
});
