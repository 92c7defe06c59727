/**
 * A large multi-document manifest written to disk piece by piece (never one string in memory):
 * ConfigMaps with many small entries, which no ADR policy matches, and every `podEvery`-th
 * document a privileged Pod, which the privileged policy fails. Used by the bounded-memory audit
 * test and `npm run bench:audit-large`.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface LargeManifest {
  readonly documents: number;
  readonly pods: number;
  readonly configMaps: number;
  readonly bytes: number;
  /** 1-based line of the `kind: Pod` document of pod `i` (0-based), to check result lines. */
  readonly podLine: (i: number) => number;
}

const ENTRIES = 100;

function configMap(n: number): string {
  const lines = [`apiVersion: v1`, `kind: ConfigMap`, `metadata:`, `  name: settings-${n}`, `  namespace: team-${n % 20}`, `data:`];
  for (let k = 0; k < ENTRIES; k++) lines.push(`  key-${k}: "value ${n}-${k} with some padding text"`);
  return `---\n${lines.join('\n')}\n`;
}

function pod(i: number): string {
  return [
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: pod-${i}`,
    `  namespace: team-${i % 20}`,
    'spec:',
    '  containers:',
    `  - name: app`,
    `    image: registry.example.com/app:${i % 13}`,
    '    securityContext:',
    '      privileged: yes',
    '',
  ].join('\n');
}

const lineCount = (text: string) => text.split('\n').length - 1;

/** Write about `targetBytes` of manifest to `file`. */
export async function writeLargeManifest(file: string, targetBytes: number, podEvery = 50): Promise<LargeManifest> {
  const out = createWriteStream(file);
  let bytes = 0;
  let line = 1;
  let pods = 0;
  let configMaps = 0;
  const podLines: number[] = [];
  let buffer = '';
  for (let n = 0; bytes + buffer.length < targetBytes; n++) {
    const isPod = n % podEvery === podEvery - 1;
    const text = isPod ? pod(pods) : configMap(n);
    if (isPod) podLines.push(line + 1), pods++;
    else configMaps++;
    line += lineCount(text);
    buffer += text;
    if (buffer.length > 1 << 20) {
      bytes += buffer.length;
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  bytes += buffer.length;
  out.end(buffer);
  await once(out, 'finish');
  return { documents: pods + configMaps, pods, configMaps, bytes, podLine: (i) => podLines[i]! };
}
