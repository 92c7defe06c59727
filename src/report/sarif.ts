/**
 * SARIF 2.1.0 for code scanning: one rule per policy, one result per failing (or erroring)
 * resource, located at the file and line the resource came from. Results a PolicyException
 * skipped are kept as suppressed results, so exemptions stay visible; passes are left out.
 */
import type { PolicyInfo, PolicyResult } from '../policy-engine/index.js';
import { displayPath, resourceName } from './resource-name.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type Level = 'error' | 'warning' | 'note';

const LEVEL_BY_SEVERITY: Readonly<Record<string, Level>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
// GitHub code scanning ranks alerts by this number (its documented CVSS-like scale).
const SECURITY_SEVERITY: Readonly<Record<string, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

export interface SarifOptions {
  /** Artifact URIs are made relative to this directory (the working directory). */
  readonly baseDir: string;
  readonly toolVersion?: string;
}

function levelOf(result: PolicyResult): Level {
  if (result.result === 'error') return 'error';
  if (result.result === 'warn') return 'warning';
  return LEVEL_BY_SEVERITY[result.severity ?? ''] ?? 'warning';
}

function uriOf(file: string, baseDir: string): string {
  return file === '<stdin>' ? 'stdin' : displayPath(file, baseDir);
}

export function toSarif(results: readonly PolicyResult[], policies: readonly PolicyInfo[], options: SarifOptions) {
  const reported = results.filter((r) => r.result === 'fail' || r.result === 'warn' || r.result === 'error' || (r.result === 'skip' && r.exceptions));
  const ruleIndex = new Map(policies.map((p, i) => [p.name, i]));
  return sarifLog(
    {
      ...(options.toolVersion ? { version: options.toolVersion } : {}),
      rules: policies.map((p) => ({
        id: p.name,
        name: p.name,
        shortDescription: { text: p.title ?? p.name },
        fullDescription: { text: (p.description ?? p.title ?? p.name).replace(/\s+/g, ' ').trim() },
        defaultConfiguration: { level: LEVEL_BY_SEVERITY[p.severity ?? ''] ?? 'warning' },
        properties: {
          tags: ['security', 'kyverno', ...(p.category ? [p.category] : [])],
          ...(p.severity && SECURITY_SEVERITY[p.severity] ? { 'security-severity': SECURITY_SEVERITY[p.severity] } : {}),
        },
      })),
    },
    reported.map((r) => ({
      ruleId: r.policy,
      ...(ruleIndex.has(r.policy) ? { ruleIndex: ruleIndex.get(r.policy) } : {}),
      level: levelOf(r),
      message: { text: `${resourceName(r.resource)}: ${r.message.replace(/\s+/g, ' ').trim()}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: uriOf(r.source.file, options.baseDir) }, region: { startLine: r.source.line } },
          logicalLocations: [{ fullyQualifiedName: resourceName(r.resource), kind: 'resource' }],
        },
      ],
      ...(r.exceptions ? { suppressions: [{ kind: 'external', justification: `PolicyException ${r.exceptions.join(', ')}` }] } : {}),
      properties: { result: r.result, ...(r.autogen ? { autogen: r.autogen } : {}) },
    })),
  );
}

/** The SARIF 2.1.0 log of one bottlerocket-eks run: the tool's driver (its rules) and the results. */
export function sarifLog<Rule, Result>(driver: { readonly version?: string; readonly rules: readonly Rule[] }, results: readonly Result[]) {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [{ tool: { driver: { name: 'bottlerocket-eks', ...driver } }, results }],
  };
}

export function formatSarif(results: readonly PolicyResult[], policies: readonly PolicyInfo[], options: SarifOptions): string {
  return `${JSON.stringify(toSarif(results, policies, options), null, 2)}\n`;
}
