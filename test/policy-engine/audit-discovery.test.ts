/**
 * Issue 9 item 5 for `audit`: nothing to audit is an input error, no file is skipped without a
 * word, extensions in any case are read, and symlinks are followed without looping.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { discoverFiles, MANIFEST_FILES } from '../../src/common/input-files.js';
import { runCli } from '../support/cli.js';
import { pod, podPolicy, tempTree } from './fixtures.js';

const noHostPid = podPolicy('no-host-pid', '!object.spec.?hostPID.orValue(false)');
const audit = (dir: string, ...paths: string[]) => runCli(['audit', ...paths, '--policies', `${dir}/policies`, '--format', 'json']);

describe('audit with nothing to audit exits 2', () => {
  test('an empty folder', async () => {
    const dir = await tempTree({ 'policies/p.yaml': [noHostPid] });
    await mkdir(join(dir, 'empty'));
    const run = await audit(dir, join(dir, 'empty'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: no Kubernetes objects found in ${join(dir, 'empty')}\n`);
    expect(run.stdout).toBe('');
  });

  test('empty stdin', async () => {
    const dir = await tempTree({ 'policies/p.yaml': [noHostPid] });
    const run = await runCli(['audit', '-', '--policies', `${dir}/policies`], { stdin: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: no Kubernetes objects found in stdin\n');
  });

  test('a folder of files that are not manifests: each one is named', async () => {
    const dir = await tempTree({ 'policies/p.yaml': [noHostPid], 'manifests/README.md': '# notes', 'manifests/pod.yaml.bak': stringify(pod('old')) });
    const run = await audit(dir, join(dir, 'manifests'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      [
        `skipped ${join(dir, 'manifests', 'README.md')}: not a .yaml, .yml or .json file`,
        `skipped ${join(dir, 'manifests', 'pod.yaml.bak')}: not a .yaml, .yml or .json file`,
        `error: no Kubernetes objects found in ${join(dir, 'manifests')}`,
        '',
      ].join('\n'),
    );
  });
});

describe('audit reads every manifest', () => {
  test('.YAML, .Yml and .JSON are read; a failing object behind them exits 1', async () => {
    const dir = await tempTree({
      'policies/p.yaml': [noHostPid],
      'manifests/A.YAML': [pod('upper', { hostPID: true })],
      'manifests/b.Yml': [pod('mixed')],
      'manifests/c.JSON': JSON.stringify(pod('json')),
    });
    const run = await audit(dir, join(dir, 'manifests'));
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { resource: { name: string }; result: string }[]).map((r) => `${r.resource.name} ${r.result}`)).toEqual(['upper fail', 'mixed pass', 'json pass']);
  });

  test('manifests behind a symlinked folder are audited; a symlink loop is reported, not followed forever', async () => {
    const dir = await tempTree({ 'policies/p.yaml': [noHostPid], 'real/bad.yaml': [pod('bad', { hostPID: true })] });
    await mkdir(join(dir, 'manifests'));
    await symlink(join(dir, 'real'), join(dir, 'manifests', 'linked'));
    await symlink(join(dir, 'manifests'), join(dir, 'manifests', 'loop'));
    await symlink(join(dir, 'nowhere'), join(dir, 'manifests', 'dangling.yaml'));

    const run = await audit(dir, join(dir, 'manifests'));

    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { resource: { name: string } }[]).map((r) => r.resource.name)).toEqual(['bad']);
    expect(run.stderr).toContain(`skipped ${join(dir, 'manifests', 'dangling.yaml')}: a symlink to nothing\n`);
    expect(run.stderr).toContain(`skipped ${join(dir, 'manifests', 'loop')}: already read as ${join(dir, 'manifests')}\n`);
  });
});

describe('discoverFiles', () => {
  test('a folder reached twice through links is read once', async () => {
    const dir = await tempTree({ 'real/a.yaml': [pod('a')] });
    await symlink(join(dir, 'real'), join(dir, 'link-1'));
    await symlink(join(dir, 'real'), join(dir, 'link-2'));
    await writeFile(join(dir, 'named.txt'), 'a path named directly is taken whatever its name');
    const found = await discoverFiles([dir, join(dir, 'named.txt')], MANIFEST_FILES);
    expect(found.files).toEqual([join(dir, 'link-1', 'a.yaml'), join(dir, 'named.txt')]);
    expect(found.skipped).toEqual([
      { path: join(dir, 'link-2'), reason: `already read as ${join(dir, 'link-1')}` },
      { path: join(dir, 'named.txt'), reason: 'not a .yaml, .yml or .json file' },
      { path: join(dir, 'real'), reason: `already read as ${join(dir, 'link-1')}` },
    ]);
  });
});
