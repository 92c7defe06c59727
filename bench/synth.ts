/**
 * `npm run bench:synth`: the whole `bottlerocket-eks synth` of the example platform (three
 * environments, every gate) as a fresh process per run, like `npm start`. Prints each run, then
 * the median wall time and the peak RSS (from `/usr/bin/time -v` when present, else the child's
 * own `process.resourceUsage()` reported through a preload), plus CPU seconds when GNU time is
 * there (a fairer figure on a busy machine). Aim: 3 s wall (2x a gate-less three-environment
 * cdk-eks-blueprints synth).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const AIM_MS = 3_000;
const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'bin', 'bottlerocket-eks.js');
const scratch = mkdtempSync(join(tmpdir(), 'synth-bench-'));
const timeBinary = '/usr/bin/time';
const useTime = existsSync(timeBinary);
// Without GNU time, a preload prints the child's peak RSS (KiB) to stderr as it exits.
const preload = join(scratch, 'rss.cjs');
writeFileSync(preload, "process.on('exit', () => process.stderr.write(`bench-maxrss-kib ${process.resourceUsage().maxRSS}\\n`));\n");

function peakKib(stderr: string): number {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr) ?? /bench-maxrss-kib (\d+)/.exec(stderr);
  if (!match) throw new Error(`no peak memory in the child's output:\n${stderr}`);
  return Number(match[1]);
}

/** CPU seconds of the child and its children (cfn-guard), when GNU time reported them. */
function cpuSeconds(stderr: string): number | undefined {
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  return user && system ? Number(user[1]) + Number(system[1]) : undefined;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  const walls: number[] = [];
  const peaks: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const out = join(scratch, `dist-${run}`);
    const args = [cli, '--config', join(root, 'platform.yaml'), 'synth', '--out', out];
    const started = performance.now();
    const child = useTime
      ? spawnSync(timeBinary, ['-v', process.execPath, ...args], { cwd: root, encoding: 'utf8' })
      : spawnSync(process.execPath, ['--require', preload, ...args], { cwd: root, encoding: 'utf8' });
    const wall = performance.now() - started;
    if (child.status !== 0) throw new Error(`synth exited ${child.status}:\n${child.stdout}\n${child.stderr}`);
    walls.push(wall);
    peaks.push(peakKib(child.stderr));
    const cpu = cpuSeconds(child.stderr);
    process.stdout.write(`run ${run}: ${(wall / 1000).toFixed(2)} s wall, ${cpu === undefined ? '' : `${cpu.toFixed(2)} s CPU, `}${(peaks.at(-1)! / 1024).toFixed(0)} MiB peak RSS\n`);
    rmSync(out, { recursive: true, force: true });
  }
  const medianWall = median(walls);
  process.stdout.write(
    `synth of 3 environments, ${RUNS} runs: median ${(medianWall / 1000).toFixed(2)} s wall (aim ${AIM_MS / 1000} s: ${medianWall <= AIM_MS ? 'met' : 'MISSED'}), peak RSS ${(Math.max(...peaks) / 1024).toFixed(0)} MiB\n`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
