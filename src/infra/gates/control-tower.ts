/**
 * AWS Control Tower proactive controls, run by the cfn-guard binary and the rules that
 * `@cdklabs/cdk-validator-cfnguard` ships, as a CDK validation plugin. Two things keep it fast:
 * only rule files checking a resource type present in the templates are passed (the others could
 * only skip), and in the pipeline (`deferred`) cfn-guard runs while cdk-nag does, one process
 * per template, all at once (the package's own plugin runs them one after another); blocking
 * (`cdk synth`), one process checks every template. Every evaluated rule yields a finding per stack: a pass,
 * or a failure/suppression per violating resource.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { GateFinding } from '../../gates/finding.js';
import { acknowledgementReason, constructAt } from './acknowledgements.js';

export const CONTROL_TOWER_SOURCE = 'control-tower';

interface GuardRuleFile {
  /** e.g. `ct-s3-pr-10`, the id findings and suppressions use. */
  readonly id: string;
  readonly path: string;
  /** Names of the guard rules inside, e.g. `s3_bucket_default_encryption_kms_check`. */
  readonly ruleNames: readonly string[];
  readonly resourceTypes: readonly string[];
}

const validatorRoot = join(dirname(createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard')), '..');

function controlTowerRulesDir(): string {
  return join(validatorRoot, 'rules', 'control-tower', 'cfn-guard');
}

/** The cfn-guard binary the package ships for this machine (it ships linux and macOS, x64 and arm64). */
function guardBinary(): string {
  const os = platform() === 'darwin' ? 'macos' : 'ubuntu';
  return join(validatorRoot, 'bin', os, arch() === 'arm64' ? 'aarch64' : 'x86_64', 'cfn-guard');
}

/**
 * The resource types a rule file checks: those it selects with `Resources.*[ Type == ... ]`
 * (other types it names are only looked up from those). A file whose selection cannot be read
 * this way falls back to every type it names; one naming none applies to every template.
 */
function checkedResourceTypes(text: string): string[] {
  const variables = new Map([...text.matchAll(/let\s+(\w+)\s*=\s*["'](AWS::\w+::\w+)["']/g)].map((match) => [match[1]!, match[2]!]));
  const selected = [...text.matchAll(/Resources\.\*\[\s*Type\s*==\s*(?:%(\w+)|["'](AWS::\w+::\w+)["'])/g)].map((match) =>
    match[1] === undefined ? match[2] : variables.get(match[1]),
  );
  if (selected.length === 0 || selected.includes(undefined)) return [...new Set(text.match(/AWS::\w+::\w+/g) ?? [])];
  return [...new Set(selected as string[])];
}

let ruleFilesCache: readonly GuardRuleFile[] | undefined;

/** Every Control Tower guard file, read once per process. */
export function controlTowerRuleFiles(): readonly GuardRuleFile[] {
  ruleFilesCache ??= readdirSync(controlTowerRulesDir(), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.guard'))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      const text = readFileSync(path, 'utf8');
      return {
        id: basename(entry.name, '.guard'),
        path,
        ruleNames: [...new Set([...text.matchAll(/^rule\s+(\w+)\s+when/gm)].map((match) => match[1]!))],
        resourceTypes: checkedResourceTypes(text),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  return ruleFilesCache;
}

interface TemplateInfo {
  readonly stackPath: string;
  readonly types: ReadonlySet<string>;
  readonly cdkPaths: Readonly<Record<string, string>>;
}

function readTemplate(path: string, stackPath: string): TemplateInfo {
  const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, { Type: string; Metadata?: Record<string, unknown> }> };
  const resources = Object.entries(template.Resources ?? {});
  return {
    stackPath,
    types: new Set(resources.map(([, resource]) => resource.Type)),
    cdkPaths: Object.fromEntries(resources.map(([id, resource]) => [id, String(resource.Metadata?.['aws:cdk:path'] ?? `${stackPath}/${id}`)])),
  };
}

/** A failed guard rule on one resource. */
export interface GuardViolation {
  readonly ruleName: string;
  readonly logicalId: string;
  readonly description: string;
}

/** Walk a cfn-guard result: the resources its checks traversed and the rule's `[CT...]` message. */
function collect(node: unknown, paths: Set<string>, messages: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((child) => collect(child, paths, messages));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'path' && typeof value === 'string') {
      const logicalId = /^\/Resources\/([^/]+)/.exec(value)?.[1];
      if (logicalId) paths.add(logicalId);
    } else if (key === 'custom_message' && typeof value === 'string') {
      const line = value.split('\n').map((part) => part.trim()).find((part) => part !== '' && !part.startsWith('[FIX]'));
      if (line) messages.push(line);
    } else {
      collect(value, paths, messages);
    }
  }
}

export function guardViolations(output: unknown): GuardViolation[] {
  const results = Array.isArray(output) ? output : [];
  return results.flatMap((result: { not_compliant?: unknown[] }) =>
    (result.not_compliant ?? []).flatMap((entry) => {
      const rule = (entry as { Rule?: { name?: string } }).Rule;
      const paths = new Set<string>();
      const messages: string[] = [];
      collect(entry, paths, messages);
      const ruleName = rule?.name ?? 'unknown-guard-rule';
      return [...paths].map((logicalId) => ({ ruleName, logicalId, description: messages[0] ?? ruleName }));
    }),
  );
}

/** A scratch folder with the chosen rule files linked into one folder; removed by the caller. */
function linkRules(ruleFiles: readonly string[]): { scratch: string; rulesDir: string } {
  const scratch = mkdtempSync(join(tmpdir(), 'bottlerocket-eks-guard-'));
  const rulesDir = join(scratch, 'rules');
  mkdirSync(rulesDir);
  ruleFiles.forEach((file) => symlinkSync(file, join(rulesDir, basename(file))));
  return { scratch, rulesDir };
}

/** cfn-guard arguments checking the given templates, one `--data` each. */
function guardArgs(rulesDir: string, templatePaths: readonly string[]): string[] {
  return ['validate', '--rules', rulesDir, ...templatePaths.flatMap((templatePath) => ['--data', templatePath]), '--output-format', 'json', '--show-summary', 'none', '--structured'];
}

/** What cfn-guard said about one template: violations, and the rules that passed or skipped (SKIP: nothing to check). */
export interface GuardTemplateResult {
  readonly violations: readonly GuardViolation[];
  /** Rule names cfn-guard evaluated on at least one resource and found compliant. */
  readonly compliant: ReadonlySet<string>;
}

function ruleNames(list: unknown): Set<string> {
  return new Set((Array.isArray(list) ? list : []).filter((name): name is string => typeof name === 'string'));
}

/** Results per template path from cfn-guard's exit status and output (one result per `--data`, named by its path). */
function readResults(status: number | null, stdout: string, stderr: string, templatePaths: readonly string[]): Map<string, GuardTemplateResult> {
  // cfn-guard exits 19 when a rule fails; anything else but 0 means it did not run properly.
  if (status !== 0 && status !== 19) throw new Error(`cfn-guard failed (exit ${status}) on ${templatePaths.join(', ')}: ${stderr}`);
  const output = JSON.parse(stdout) as unknown;
  const results = new Map((Array.isArray(output) ? (output as Array<{ name?: unknown; compliant?: unknown }>) : []).map((result) => [result.name, result] as const));
  return new Map(
    templatePaths.map((templatePath) => {
      const result = results.get(templatePath);
      if (result === undefined) throw new Error(`cfn-guard reported no result for ${templatePath}`);
      return [templatePath, { violations: guardViolations([result]), compliant: ruleNames(result.compliant) }];
    }),
  );
}

/** Run cfn-guard over every template in one process, blocking until it is done; violations per template path. */
export function runGuard(ruleFiles: readonly string[], templatePaths: readonly string[]): Map<string, GuardTemplateResult> {
  const { scratch, rulesDir } = linkRules(ruleFiles);
  try {
    const result = spawnSync(guardBinary(), guardArgs(rulesDir, templatePaths), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (result.error) throw new Error(`cfn-guard could not run: ${result.error.message}`);
    return readResults(result.status, result.stdout, result.stderr, templatePaths);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One cfn-guard process on one template, started now. */
function guardProcess(rulesDir: string, templatePath: string): Promise<Map<string, GuardTemplateResult>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(guardBinary(), guardArgs(rulesDir, [templatePath]), { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => reject(new Error(`cfn-guard could not run: ${error.message}`)));
    child.on('close', (code) => {
      try {
        resolvePromise(readResults(code, Buffer.concat(stdout).toString('utf8'), Buffer.concat(stderr).toString('utf8'), [templatePath]));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * The same without blocking, one process per template, all at once: they work while the caller
 * does, and on a busy machine several processes get more CPU time than one.
 */
export function startGuard(ruleFiles: readonly string[], templatePaths: readonly string[]): Promise<Map<string, GuardTemplateResult>> {
  const { scratch, rulesDir } = linkRules(ruleFiles);
  return Promise.all(templatePaths.map((templatePath) => guardProcess(rulesDir, templatePath)))
    .then((results) => new Map(results.flatMap((result) => [...result])))
    .finally(() => rmSync(scratch, { recursive: true, force: true }));
}

interface GuardPlan {
  readonly templates: ReadonlyMap<string, TemplateInfo>;
  readonly files: readonly GuardRuleFile[];
  readonly fileOfRule: ReadonlyMap<string, GuardRuleFile>;
}

/** A template file for cfn-guard and the name its findings carry (a stack's construct path, or the stack name). */
export interface GuardTemplate {
  readonly templatePath: string;
  readonly stackPath: string;
}

function plan(stackTemplates: readonly GuardTemplate[]): GuardPlan {
  const templates = new Map(stackTemplates.map((stack) => [stack.templatePath, readTemplate(stack.templatePath, stack.stackPath)]));
  const presentTypes = new Set([...templates.values()].flatMap((template) => [...template.types]));
  const files = controlTowerRuleFiles().filter((file) => file.resourceTypes.length === 0 || file.resourceTypes.some((type) => presentTypes.has(type)));
  return { templates, files, fileOfRule: new Map(files.flatMap((file) => file.ruleNames.map((rule) => [rule, file] as const))) };
}

export interface ControlTowerGuardOptions {
  /**
   * Start cfn-guard during validation but collect its results later (`settled()`), so it runs
   * while the other plugins do. CDK then sees an empty report from this plugin; use it only
   * when the caller reads `settled()` (the synth pipeline), not when CDK should fail synthesis.
   *
   * @default false
   */
  readonly deferred?: boolean;
}

/** A finding, and for a failure the violation CDK should see. */
interface RecordedFinding {
  readonly templatePath: string;
  readonly finding: GateFinding;
  readonly violation?: PolicyViolation;
}

/** The reason of an acknowledgement of rule `id` on the resource at construct path `path`, if any. */
export type AcknowledgementLookup = (path: string, id: string) => string | undefined;

/**
 * Findings from cfn-guard's results, per template: a failure (or suppression) per violating
 * resource; a pass for a rule file cfn-guard evaluated on some resource without a violation; and
 * `not-applicable` for one it skipped (cfn-guard's SKIP: the template has nothing the rule
 * checks), which is never counted as a pass.
 */
function findingsOf(guardPlan: GuardPlan, results: ReadonlyMap<string, GuardTemplateResult>, acknowledged: AcknowledgementLookup): RecordedFinding[] {
  const recorded: RecordedFinding[] = [];
  for (const [templatePath, template] of guardPlan.templates) {
    const result = results.get(templatePath);
    const violated = new Set<string>();
    for (const violation of result?.violations ?? []) {
      const id = guardPlan.fileOfRule.get(violation.ruleName)?.id ?? violation.ruleName;
      violated.add(id);
      const path = template.cdkPaths[violation.logicalId] ?? `${template.stackPath}/${violation.logicalId}`;
      const reason = acknowledged(path, id);
      if (reason !== undefined) {
        recorded.push({ templatePath, finding: { id, source: CONTROL_TOWER_SOURCE, resource: path, result: 'suppressed', reason } });
        continue;
      }
      recorded.push({
        templatePath,
        finding: { id, source: CONTROL_TOWER_SOURCE, resource: path, result: 'fail', reason: violation.description },
        violation: {
          ruleName: id,
          description: violation.description,
          severity: 'error',
          violatingResources: [{ resourceLogicalId: violation.logicalId, templatePath, locations: ['Properties'] }],
        },
      });
    }
    for (const file of guardPlan.files) {
      if (violated.has(file.id)) continue;
      const evaluated = file.ruleNames.some((name) => result?.compliant.has(name));
      recorded.push({
        templatePath,
        finding: evaluated
          ? { id: file.id, source: CONTROL_TOWER_SOURCE, resource: template.stackPath, result: 'pass' }
          : {
              id: file.id,
              source: CONTROL_TOWER_SOURCE,
              resource: template.stackPath,
              result: 'not-applicable',
              reason: `cfn-guard skipped it: no ${file.resourceTypes.join(' or ') || 'resource'} in this template with the properties the control checks`,
            },
      });
    }
  }
  return recorded;
}

/**
 * The Control Tower findings of template files outside CDK (`bottlerocket-eks check`), per
 * template path: the same rule selection and verdicts as the synth gate, without acknowledgements.
 */
export async function checkControlTower(templates: readonly GuardTemplate[]): Promise<Map<string, GateFinding[]>> {
  const guardPlan = plan(templates);
  const results = await startGuard(guardPlan.files.map((file) => file.path), [...guardPlan.templates.keys()]);
  const byTemplate = new Map(templates.map((template) => [template.templatePath, [] as GateFinding[]]));
  for (const entry of findingsOf(guardPlan, results, () => undefined)) byTemplate.get(entry.templatePath)?.push(entry.finding);
  return byTemplate;
}

export class ControlTowerGuard implements IPolicyValidationPlugin {
  readonly name = CONTROL_TOWER_SOURCE;
  private recorded: GateFinding[] = [];
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly options: ControlTowerGuardOptions = {}) {}

  /** Every finding of the last validation, once cfn-guard has finished. */
  async settled(): Promise<readonly GateFinding[]> {
    await this.pending;
    return this.recorded;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const guardPlan = plan(context.stackTemplates.map((stack) => ({ templatePath: stack.templatePath, stackPath: stack.stackConstructPath })));
    const ruleFiles = guardPlan.files.map((file) => file.path);
    const templatePaths = [...guardPlan.templates.keys()];
    this.recorded = [];
    if (this.options.deferred) {
      this.pending = startGuard(ruleFiles, templatePaths).then((results) => {
        this.record(guardPlan, results, context.appConstruct);
      });
      return { success: true, violations: [] };
    }
    return this.record(guardPlan, runGuard(ruleFiles, templatePaths), context.appConstruct);
  }

  private record(guardPlan: GuardPlan, results: ReadonlyMap<string, GuardTemplateResult>, root: IConstruct): PolicyValidationPluginReport {
    const recorded = findingsOf(guardPlan, results, (path, id) => {
      const construct = constructAt(root, path);
      return construct ? acknowledgementReason(construct, id) : undefined;
    });
    this.recorded = recorded.map((entry) => entry.finding);
    const violations = recorded.flatMap((entry) => (entry.violation ? [entry.violation] : []));
    return { success: violations.length === 0, violations };
  }
}
