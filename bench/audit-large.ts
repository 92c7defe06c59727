/**
 * `npm run bench:audit-large`: a 200 MB manifest (test/support/large-manifest.ts: ConfigMaps with
 * many entries and every tenth document a privileged Pod), generated into a temp folder, audited
 * by the built CLI in a child process whose heap is capped at 256 MB. A whole-file read would
 * need several times the input in heap; the streamed audit needs about what its results take.
 * Prints wall time, throughput and the child's peak RSS against the aim (completes within the
 * cap). A benchmark prints figures: the exit code is 1 only if the run itself fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeLargeManifest } from '../test/support/large-manifest.js';

const INPUT_BYTES = 200_000_000;
const HEAP_MB = 256;
const CLI = fileURLToPath(new URL('../bin/bottlerocket-eks.js', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../build/cli/main.js', import.meta.url)))) throw new Error('build/ is missing: run `npm run build`');

/** The high-water mark of a live process's resident memory, in MB (Linux), else undefined. */
function peakRssMb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const dir = await mkdtemp(join(tmpdir(), 'audit-large-bench-'));
try {
  const file = join(dir, 'large.yaml');
  const manifest = await writeLargeManifest(file, INPUT_BYTES, 10);
  const start = performance.now();
  const { status, stdoutBytes, stderr, peak } = await new Promise<{ status: number | null; stdoutBytes: number; stderr: string; peak: number | undefined }>((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, CLI, 'audit', file, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let stderr = '';
    let peak: number | undefined;
    const poll = setInterval(() => (peak = peakRssMb(child.pid!) ?? peak), 100);
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      peak = peakRssMb(child.pid!) ?? peak;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ status: code, stdoutBytes, stderr, peak });
    });
  });
  const seconds = (performance.now() - start) / 1000;
  const completed = status === 0 || status === 1;
  process.stdout.write(
    [
      `input: ${(manifest.bytes / 1e6).toFixed(0)} MB, ${manifest.documents.toLocaleString('en-US')} documents (${manifest.pods.toLocaleString('en-US')} Pods)`,
      `audit with a ${HEAP_MB} MB heap cap: ${completed ? `completed, exit ${status}` : `FAILED (exit ${status})`}; ${stderr.match(/^audited .*$/m)?.[0] ?? stderr.trim().split('\n').at(-1)}`,
      `wall ${seconds.toFixed(1)} s, ${(manifest.bytes / 1e6 / seconds).toFixed(1)} MB/s, ${Math.round(manifest.documents / seconds).toLocaleString('en-US')} documents/s; JSON output ${(stdoutBytes / 1e6).toFixed(1)} MB`,
      `peak RSS of the audit process: ${peak === undefined ? 'not measured (no /proc)' : `${peak.toFixed(0)} MB`} (aim: completes within the ${HEAP_MB} MB heap cap: ${completed ? 'met' : 'MISSED'})`,
      '',
    ].join('\n'),
  );
  if (!completed) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
