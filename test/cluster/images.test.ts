/**
 * The image catalogue and the `images` command: every image the components declare, where it is
 * pulled from (the mirror when set), pinned by digest where a digest is recorded.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { IMAGES, imageReference, parseImageReference } from '../../src/cluster/images.js';
import { listImages } from '../../src/cluster/image-list.js';
import { runCli } from '../support/cli.js';
import { EXAMPLE, find, loadExample, renderEnv } from './fixture.js';

const MIRROR = '111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/mirror';
const mirrored = EXAMPLE.replace(/^(\s+)cis:\n/gm, `$1mirror:\n$1  registry: ${MIRROR}\n$1cis:\n`);

describe('the image catalogue', () => {
  test('GIVEN a recorded digest THEN the reference carries tag and digest; a mirror replaces only the registry', () => {
    expect(imageReference(IMAGES.falco, undefined)).toBe(`docker.io/falcosecurity/falco:0.44.1@${IMAGES.falco.digest}`);
    expect(imageReference(IMAGES.falco, MIRROR)).toBe(`${MIRROR}/falcosecurity/falco:0.44.1@${IMAGES.falco.digest}`);
  });

  test('every recorded digest is a sha256 digest, and every missing one says why', () => {
    for (const image of Object.values(IMAGES)) {
      if ('digest' in image) expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      else expect(image.digestSource).toMatch(/^NOT ESTABLISHED/);
    }
  });

  test('falcosidekick is pinned to 2.31.1, not the subchart default 2.32.0', () => {
    expect(IMAGES.falcosidekick.tag).toBe('2.31.1');
    const values = (find(renderEnv('prod').objects, 'HelmRelease', 'falco').spec as { values: { falcosidekick: { image: Record<string, string> } } }).values;
    expect(values.falcosidekick.image).toEqual({ registry: 'docker.io', repository: 'falcosecurity/falcosidekick', tag: '2.31.1' });
  });

  test.each([
    ['111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/bottlerocket-eks-cis-collector:0.1.0@sha256:' + 'a'.repeat(64), '111111111111.dkr.ecr.us-gov-west-1.amazonaws.com', 'bottlerocket-eks-cis-collector', '0.1.0'],
    ['localhost:5000/team/app@sha256:' + 'a'.repeat(64), 'localhost:5000', 'team/app', ''],
    ['falcosecurity/falco:0.44.1', 'docker.io', 'falcosecurity/falco', '0.44.1'],
  ])('parseImageReference(%s)', (reference, registry, repository, tag) => {
    expect(parseImageReference(reference)).toMatchObject({ registry, repository, tag });
  });
});

describe('GIVEN mirror.registry on every environment', () => {
  test.each(['dev', 'staging', 'prod'])('THEN every image in %s values and manifests names the mirror', (name) => {
    const { objects } = renderEnv(name, mirrored);
    const text = JSON.stringify(objects);
    const registries = [...text.matchAll(/"registry":"([^"]+)"/g)].map((match) => match[1]);
    expect(registries.length).toBeGreaterThan(5);
    expect(registries.filter((registry) => registry !== MIRROR)).toEqual([]);
    const images = [...text.matchAll(/"image":"([^"]+)"/g)].map((match) => match[1]);
    expect(images.filter((image) => !image!.startsWith(`${MIRROR}/`))).toEqual([]);
    const repositories = [...text.matchAll(/"repository":"([^"]+)"/g)].map((match) => match[1]!);
    // cert-manager takes the registry inside the repository.
    expect(repositories.filter((repository) => repository.includes('.') && !repository.startsWith(`${MIRROR}/`))).toEqual([]);
  });

  test('THEN the image list maps each published image to the mirror, once per environment', () => {
    const entries = listImages(loadExample(mirrored), ['prod']);
    expect(entries.length).toBe(new Set(entries.map((entry) => entry.source)).size);
    const sidekick = entries.find((entry) => entry.source === 'docker.io/falcosecurity/falcosidekick:2.31.1');
    expect(sidekick).toMatchObject({ target: `${MIRROR}/falcosecurity/falcosidekick:2.31.1`, components: ['falco'] });
    expect(sidekick?.digest).toBeUndefined();
    expect(entries.find((entry) => entry.source.endsWith('bottlerocket-eks-cis-collector:0.1.0'))?.target).toMatch(new RegExp(`^${MIRROR}/bottlerocket-eks-cis-collector:0\\.1\\.0@sha256:`));
  });
});

describe('bottlerocket-eks images', () => {
  const dir = mkdtempSync(join(tmpdir(), 'images-cli-'));
  const config = join(dir, 'platform.yaml');
  writeFileSync(config, mirrored);

  test('GIVEN --env prod --format json THEN JSON entries with source, target and digest, exit 0', async () => {
    const run = await runCli(['--config', config, 'images', '--env', 'prod', '--format', 'json']);
    expect(run.code).toBe(0);
    const entries = JSON.parse(run.stdout) as Array<{ environment: string; source: string; target: string; digest?: string }>;
    expect(new Set(entries.map((entry) => entry.environment))).toEqual(new Set(['prod']));
    expect(entries.find((entry) => entry.source === 'docker.io/falcosecurity/falco:0.44.1')).toMatchObject({ target: `${MIRROR}/falcosecurity/falco:0.44.1@${IMAGES.falco.digest}`, digest: IMAGES.falco.digest });
    expect(run.stderr).toMatch(/no recorded digest/);
  });

  test('GIVEN text format THEN one aligned line per image and environment', async () => {
    const run = await runCli(['--config', config, 'images']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ENVIRONMENT\s+SOURCE\s+TARGET\s+DIGEST$/);
    expect(lines.length - 1).toBe(listImages(loadExample(mirrored)).length);
  });

  test('GIVEN an unknown --env THEN exit 2', async () => {
    const run = await runCli(['--config', config, 'images', '--env', 'qa']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown environment qa/);
  });
});

describe('GIVEN mirror.charts', () => {
  const CHARTS_MIRROR = 'oci://111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/charts';
  const withCharts = EXAMPLE.replace(/^(\s+)cis:\n/gm, `$1mirror:\n$1  registry: ${MIRROR}\n$1  charts: ${CHARTS_MIRROR}\n$1cis:\n`);

  test('THEN Flux pulls every chart from an OCI HelmRepository at the mirror, at the pinned version', () => {
    const { objects } = renderEnv('prod', withCharts);
    const repositories = objects.filter((object) => object.kind === 'HelmRepository');
    expect(repositories.length).toBeGreaterThan(0);
    for (const repository of repositories) expect(repository.spec).toMatchObject({ type: 'oci', url: CHARTS_MIRROR });
    const releases = objects.filter((object) => object.kind === 'HelmRelease');
    expect(releases.map((release) => (release.spec as { chart: { spec: { sourceRef: { name: string } } } }).chart.spec.sourceRef.name)).toEqual(releases.map(() => 'chart-mirror'));
    expect(JSON.stringify(objects)).not.toMatch(/https:\/\/(charts\.jetstack\.io|falcosecurity\.github\.io|kyverno\.github\.io|bottlerocket-os\.github\.io)/);
  });

  test('THEN Argo CD takes each chart from the OCI registry', () => {
    const argo = withCharts.replace('  controller: flux\n', '  controller: argocd\n');
    expect(argo).not.toBe(withCharts);
    const { objects } = renderEnv('prod', argo);
    const charts = objects.filter((object) => object.kind === 'Application' && (object.spec as { source: { chart?: string } }).source.chart !== undefined);
    expect(charts.length).toBeGreaterThan(0);
    for (const application of charts) expect((application.spec as { source: { repoURL: string } }).source.repoURL).toBe(CHARTS_MIRROR.replace('oci://', ''));
  });
});

describe('GIVEN mirror.registry THEN the Falco rule exclusions name the images where they are pulled from', () => {
  test('brupop, Falco and the collector appear under the mirror, never under their public registries', () => {
    const release = find(renderEnv('prod', mirrored).objects, 'HelmRelease', 'falco');
    const rules = Object.values((release.spec as { values: { customRules: Record<string, string> } }).values.customRules).join('\n');
    for (const repository of ['bottlerocket/bottlerocket-update-operator', 'falcosecurity/falco', 'bottlerocket-eks-cis-collector']) expect(rules).toContain(`${MIRROR}/${repository}`);
    expect(rules).not.toMatch(/public\.ecr\.aws\/bottlerocket|docker\.io\/falcosecurity/);
  });
});
