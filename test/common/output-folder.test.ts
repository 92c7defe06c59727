/**
 * Issue 9 item 1–2: synth only replaces what it owns. Every destructive case from the issue runs
 * on throw-away folders (a fake repository with .git, a GitOps repository with flux-system/, an
 * owned output under --env) and must end in exit 2 with its target byte-for-byte untouched.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MANIFEST_FILE, outputManifestSchema } from '../../src/common/output-manifest.js';
import type { RenderStage } from '../../src/pipeline/render.js';
import { synthPlatform } from '../../src/pipeline/synth.js';
import { EXAMPLE_CONFIG_TEXT } from '../infra/fixture.js';
import { runCli } from '../support/cli.js';
import { fakeRenderStage } from '../support/fake-render.js';
import { useTempDir } from '../support/temp-dir.js';

const work = useTempDir('owned-output-');

/** Every path below `dir` with a hash of its content (or `dir`/`link` markers), to prove "untouched". */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const info = lstatSync(path);
    out[relative(dir, path)] = info.isSymbolicLink() ? `link:${readlinkSync(path)}` : info.isDirectory() ? `dir:${info.mode & 0o777}` : createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

/** A render stage (no CDK) whose cluster layer is one marker file per environment, so runs are fast and their output recognisable. */
const markerRender = (marker: string): RenderStage => fakeRenderStage({ clusterFile: (env) => ({ path: 'marker.yaml', text: `env: ${env}\nrun: ${marker}\n` }) });

function fakeRepository(): { repo: string; config: string } {
  const repo = join(work.path, 'repo');
  mkdirSync(join(repo, '.git', 'refs'), { recursive: true });
  writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(join(repo, 'src', 'cli'), { recursive: true });
  writeFileSync(join(repo, 'src', 'cli', 'main.ts'), 'export {};\n');
  writeFileSync(join(repo, 'platform.yaml'), EXAMPLE_CONFIG_TEXT);
  writeFileSync(join(repo, 'uncommitted.txt'), 'work in progress\n');
  return { repo, config: join(repo, 'platform.yaml') };
}

const synthIn = (cwd: string, config: string, ...args: string[]) => runCli(['--config', config, 'synth', ...args], { cwd, env: { HOME: join(work.path, 'home') } });

describe('synth refuses to write where it would destroy (exit 2, target untouched)', () => {
  test.each([
    ['--out .', ['--out', '.'], /refusing to write output into \.? ?.*: it is the current directory; nothing was written/],
    ["--out '' (an unset $OUT)", ['--out', ''], /--out is empty \(an unset variable\?\)/],
    ['--out src', ['--out', 'src'], /--out src holds 1 file \(cli\/main\.ts\) that this tool did not write .*nothing was written\. Choose an empty or new folder/],
    ['--out platform.yaml', ['--out', 'platform.yaml'], /--out platform\.yaml is a file, not a folder/],
    ['--out .. (above the repository)', ['--out', '..'], /it is a folder above the current directory/],
  ])('%s in a repository', async (_name, args, message) => {
    const { repo, config } = fakeRepository();
    const before = snapshot(work.path);

    const run = await synthIn(repo, config, ...args);

    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(snapshot(work.path)).toEqual(before);
  });

  test('the repository root named from elsewhere is refused because it holds .git', async () => {
    const { repo } = fakeRepository();
    const elsewhere = join(work.path, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'platform.yaml'), EXAMPLE_CONFIG_TEXT);
    const before = snapshot(work.path);

    const run = await synthIn(elsewhere, join(elsewhere, 'platform.yaml'), '--out', repo);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/it is a repository root \(it holds \.git\)/);
    expect(snapshot(work.path)).toEqual(before);
  });

  test.each([
    ['the folder holding the config file', (config: string) => join(config, '..'), /the folder holding the config file platform\.yaml/],
    ['the home folder', () => join(work.path, 'home'), /it is the home folder/],
    ['the filesystem root', () => '/', /it is the root of the filesystem/],
  ])('%s is refused', async (_name, out, message) => {
    const configDir = join(work.path, 'config');
    mkdirSync(configDir);
    mkdirSync(join(work.path, 'home'));
    const config = join(configDir, 'platform.yaml');
    writeFileSync(config, EXAMPLE_CONFIG_TEXT);
    const cwd = join(work.path, 'cwd');
    mkdirSync(cwd);
    const before = snapshot(work.path);

    const run = await synthIn(cwd, config, '--out', out(config));

    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(snapshot(work.path)).toEqual(before);
  });
});

describe('owned output folders', () => {
  const configFile = () => {
    const file = join(work.path, 'platform.yaml');
    writeFileSync(file, EXAMPLE_CONFIG_TEXT);
    return file;
  };

  test('the manifest names every file written and the tool version', async () => {
    const out = join(work.path, 'dist');
    await synthPlatform({ configFile: configFile(), outDir: out, render: markerRender('a') });

    const manifest = outputManifestSchema.parse(JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8')));
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(manifest.version).toBe(version);
    expect(manifest.entries).toEqual(['dev', 'prod', 'staging', 'summary.md']);
    expect(Object.keys(manifest.files)).toEqual([
      'dev/cloudformation/fedplat-dev.template.json', 'dev/cluster/marker.yaml', 'dev/gates.json',
      'prod/cloudformation/fedplat-prod.template.json', 'prod/cluster/marker.yaml', 'prod/gates.json',
      'staging/cloudformation/fedplat-staging.template.json', 'staging/cluster/marker.yaml', 'staging/gates.json',
      'summary.md',
    ]);
    expect(manifest.files['summary.md']).toBe(createHash('sha256').update(readFileSync(join(out, 'summary.md'))).digest('hex'));
  });

  test('GIVEN a full output WHEN --env prod runs THEN only prod and the summary change', async () => {
    const out = join(work.path, 'dist');
    const config = configFile();
    await synthPlatform({ configFile: config, outDir: out, render: markerRender('first') });
    const before = snapshot(out);

    const result = await synthPlatform({ configFile: config, outDir: out, environments: ['prod'], render: markerRender('second') });

    expect(result.ok).toBe(true);
    const after = snapshot(out);
    const changed = Object.keys(after).filter((path) => after[path] !== before[path]).sort();
    expect(changed).toEqual([MANIFEST_FILE, 'prod/cluster/marker.yaml', 'summary.md']);
    expect(readFileSync(join(out, 'dev', 'cluster', 'marker.yaml'), 'utf8')).toContain('run: first');
    expect(readFileSync(join(out, 'prod', 'cluster', 'marker.yaml'), 'utf8')).toContain('run: second');
    // The manifest still owns dev and staging, with their old hashes.
    const manifest = outputManifestSchema.parse(JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8')));
    expect(manifest.entries).toEqual(['dev', 'prod', 'staging', 'summary.md']);
    expect(manifest.files['dev/cluster/marker.yaml']).toBe(before['dev/cluster/marker.yaml']);
  });

  test('GIVEN a file someone added inside an owned environment folder THEN synth refuses naming it and keeps everything', async () => {
    const out = join(work.path, 'dist');
    const config = configFile();
    await synthPlatform({ configFile: config, outDir: out, render: markerRender('first') });
    writeFileSync(join(out, 'dev', 'notes.txt'), 'mine\n');
    writeFileSync(join(out, 'staging', 'gates.json'), '[{"edited": true}]\n');
    const before = snapshot(out);

    const run = await synthIn(work.path, config, '--out', out);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/hold 1 file \(dev\/notes\.txt\) that this tool did not write, and 1 file \(staging\/gates\.json\) changed since it wrote them; nothing was written/);
    expect(snapshot(out)).toEqual(before);
  });

  test('GIVEN a GitOps repository THEN clusters/ beside flux-system/ is refused, and with --alongside only the environment folders are written', async () => {
    const gitops = join(work.path, 'gitops');
    const clusters = join(gitops, 'clusters');
    mkdirSync(join(gitops, '.git'), { recursive: true });
    mkdirSync(join(clusters, 'flux-system'), { recursive: true });
    writeFileSync(join(clusters, 'flux-system', 'gotk-components.yaml'), 'kind: Namespace\n');
    writeFileSync(join(clusters, 'flux-system', 'kustomization.yaml'), 'resources: [gotk-components.yaml]\n');
    const config = configFile();
    const flux = snapshot(join(clusters, 'flux-system'));
    const before = snapshot(gitops);

    const refused = await synthIn(work.path, config, '--out', clusters);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds 2 files \(flux-system\/gotk-components\.yaml, flux-system\/kustomization\.yaml\) that this tool did not write .* or pass --alongside/);
    expect(snapshot(gitops)).toEqual(before);

    const first = await synthPlatform({ configFile: config, outDir: clusters, alongside: true, render: markerRender('first') });
    expect(first.ok).toBe(true);
    expect(readdirSync(clusters).sort()).toEqual([MANIFEST_FILE, 'dev', 'flux-system', 'prod', 'staging', 'summary.md']);
    // Owned now: later runs need no flag, and flux-system/ stays byte-for-byte.
    await synthPlatform({ configFile: config, outDir: clusters, render: markerRender('second') });
    expect(snapshot(join(clusters, 'flux-system'))).toEqual(flux);
    expect(readFileSync(join(clusters, 'prod', 'cluster', 'marker.yaml'), 'utf8')).toContain('run: second');
  });

  test('GIVEN --alongside and a foreign folder named like an environment THEN it is refused', async () => {
    const clusters = join(work.path, 'clusters');
    mkdirSync(join(clusters, 'dev'), { recursive: true });
    writeFileSync(join(clusters, 'dev', 'handmade.yaml'), 'kind: ConfigMap\n');
    const before = snapshot(clusters);

    const run = await synthIn(work.path, configFile(), '--out', clusters, '--alongside');

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/holds 1 file \(dev\/handmade\.yaml\) that this tool did not write .*Move those away/);
    expect(snapshot(clusters)).toEqual(before);
  });

  test('GIVEN a symlinked --out THEN the link stays and its target is written', async () => {
    const real = join(work.path, 'real-dist');
    mkdirSync(real);
    const link = join(work.path, 'dist');
    symlinkSync(real, link);

    await synthPlatform({ configFile: configFile(), outDir: link, render: markerRender('a') });
    await synthPlatform({ configFile: configFile(), outDir: link, render: markerRender('b') });

    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(join(real, 'dev', 'cluster', 'marker.yaml'), 'utf8')).toContain('run: b');
  });

  test('the output folder itself is never replaced (same inode), so a mount point is filled in place', async () => {
    const out = join(work.path, 'dist');
    mkdirSync(out);
    const inode = statSync(out).ino;
    await synthPlatform({ configFile: configFile(), outDir: out, render: markerRender('a') });
    await synthPlatform({ configFile: configFile(), outDir: out, render: markerRender('b') });
    expect(statSync(out).ino).toBe(inode);
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'dev', 'prod', 'staging', 'summary.md']);
  });

  test.each([
    [0o022, 0o755, 0o644],
    [0o077, 0o700, 0o600],
  ])('under umask %o folders get %o and files %o', async (umask, dirMode, fileMode) => {
    const previous = process.umask(umask);
    try {
      const out = join(work.path, 'dist');
      await synthPlatform({ configFile: configFile(), outDir: out, render: markerRender('a') });
      expect(statSync(out).mode & 0o777).toBe(dirMode);
      expect(statSync(join(out, 'dev')).mode & 0o777).toBe(dirMode);
      expect(statSync(join(out, 'dev', 'cluster', 'marker.yaml')).mode & 0o777).toBe(fileMode);
      expect(statSync(join(out, 'summary.md')).mode & 0o777).toBe(fileMode);
      expect(statSync(join(out, MANIFEST_FILE)).mode & 0o777).toBe(fileMode);
    } finally {
      process.umask(previous);
    }
  });

  test('staging folders of a killed run are removed by the next run; foreign dot-files are not', async () => {
    const out = join(work.path, 'dist');
    const config = configFile();
    await synthPlatform({ configFile: config, outDir: out, render: markerRender('a') });
    mkdirSync(join(out, '.bottlerocket-eks-staging-0123456789abcdef', 'dev'), { recursive: true });
    mkdirSync(join(out, '.bottlerocket-eks-parked-fedcba9876543210', 'prod'), { recursive: true });
    writeFileSync(join(out, '.bottlerocket-eks-journal-fedcba9876543210.tmp'), '{"stag');
    writeFileSync(join(out, '.gitkeep'), '');

    await synthPlatform({ configFile: config, outDir: out, render: markerRender('b') });

    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, '.gitkeep', 'dev', 'prod', 'staging', 'summary.md']);
  });

  test('GIVEN an environment dropped from the config THEN a full run removes its owned folder', async () => {
    const out = join(work.path, 'dist');
    const config = configFile();
    await synthPlatform({ configFile: config, outDir: out, render: markerRender('a') });
    const manifestPath = join(out, MANIFEST_FILE);
    const manifest = outputManifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
    // As if an earlier config had a qa environment.
    mkdirSync(join(out, 'qa'));
    writeFileSync(join(out, 'qa', 'gates.json'), '[]\n');
    const hash = createHash('sha256').update('[]\n').digest('hex');
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, entries: [...manifest.entries, 'qa'], files: { ...manifest.files, 'qa/gates.json': hash } }));

    await synthPlatform({ configFile: config, outDir: out, render: markerRender('b') });

    expect(existsSync(join(out, 'qa'))).toBe(false);
  });

  test('a manifest this tool did not write is refused', async () => {
    const out = join(work.path, 'dist');
    mkdirSync(out);
    writeFileSync(join(out, MANIFEST_FILE), '{"kind":"something-else"}');
    chmodSync(join(out, MANIFEST_FILE), 0o644);
    const before = snapshot(out);
    const run = await synthIn(work.path, configFile(), '--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is there but is not a manifest this tool wrote/);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('recovery from a commit killed between the two renames of a folder', () => {
  test('the next run finds the journal, puts the staged copy in place and cleans up', async () => {
    const out = join(work.path, 'dist');
    const file = join(work.path, 'platform.yaml');
    writeFileSync(file, EXAMPLE_CONFIG_TEXT);
    await synthPlatform({ configFile: file, outDir: out, render: markerRender('old') });
    // The state a kill leaves inside the window: the journal written, dev parked, its new copy still staged.
    const id = '0123456789abcdef';
    const staging = `.bottlerocket-eks-staging-${id}`;
    const parked = `.bottlerocket-eks-parked-${id}`;
    mkdirSync(join(out, staging, 'dev', 'cluster'), { recursive: true });
    writeFileSync(join(out, staging, 'dev', 'cluster', 'marker.yaml'), 'env: dev\nrun: killed\n');
    writeFileSync(join(out, '.bottlerocket-eks-journal.json'), JSON.stringify({ staging, parked, entries: [{ name: 'dev', replace: true }] }));
    mkdirSync(join(out, parked));
    renameSync(join(out, 'dev'), join(out, parked, 'dev'));
    expect(existsSync(join(out, 'dev'))).toBe(false);

    const { openOutputFolder } = await import('../../src/common/output-folder.js');
    const output = await openOutputFolder({ outDir: out, configFile: file, entries: ['prod'], replaceAll: false });
    // Recovery ran before the run's own work: the killed run's dev is in place, nothing of it left over.
    expect(readFileSync(join(out, 'dev', 'cluster', 'marker.yaml'), 'utf8')).toContain('run: killed');
    expect(readdirSync(out).filter((name) => name.startsWith('.bottlerocket-eks-') && name !== MANIFEST_FILE && join(out, name) !== output.stagingDir)).toEqual(['.bottlerocket-eks-lock']);
    await output.discard();
  });
});
