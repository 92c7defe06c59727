/**
 * `bottlerocket-eks check`: the template-level gates of `synth` (the ADR-15 rules and the
 * Control Tower proactive controls through cfn-guard, the same functions and rule selection) over
 * CloudFormation templates from anywhere: template files, or cloud assembly folders (`cdk.out`),
 * whose stacks are read from `manifest.json`. cdk-nag needs the CDK construct tree, so it runs in
 * `synth` only. Bad input throws `UserInputError` before any rule runs.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { UserInputError } from '../common/errors.js';
import type { GateFinding } from './finding.js';
import { checkControlTower } from './packs/control-tower.js';
import { evaluateAdrRules, evaluateSupportCalendar, type CfnTemplateJson } from './rules/aws/index.js';

/** One template to check. */
export interface CheckedTemplate {
  /** The file, as the user named it (or as the cloud assembly's manifest names it, below the folder). */
  readonly file: string;
  /** Stack name: the cloud assembly's, else the file name without `.template.json` / `.json`. */
  readonly stackName: string;
  readonly template: CfnTemplateJson;
}

/** A finding with the template it came from. */
export interface CheckFinding extends GateFinding {
  readonly template: string;
}

export interface CheckReport {
  readonly templates: readonly CheckedTemplate[];
  readonly findings: readonly CheckFinding[];
}

/** Where a JSON syntax error is: JSON.parse does not say on every Node version, the yaml parser (a JSON superset) does. */
function syntaxErrorPosition(text: string): { line: number; col: number } {
  return parseDocument(text).errors[0]?.linePos?.[0] ?? { line: 1, col: 1 };
}

/** A CloudFormation template file: JSON with a `Resources` object. */
function readTemplate(file: string, stackName: string): CheckedTemplate {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserInputError(`${file}: cannot read the template (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const { line, col } = syntaxErrorPosition(text);
    throw new UserInputError(`not valid JSON (${(error as Error).message}); check reads CloudFormation templates as JSON, as CDK writes them`, { position: { file, line, col } });
  }
  const resources = (parsed as { Resources?: unknown } | null)?.Resources;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new UserInputError(`${file}: not a CloudFormation template (no "Resources" object)`);
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (typeof (resource as { Type?: unknown } | null)?.Type !== 'string') throw new UserInputError(`${file}: resource ${logicalId} has no "Type"`);
  }
  return { file, stackName, template: parsed as CfnTemplateJson };
}

interface ManifestArtifact {
  readonly type?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly directoryName?: string };
}

/** Every stack template of a cloud assembly folder, nested assemblies (CDK stages) included. */
function assemblyTemplates(folder: string): CheckedTemplate[] {
  const manifestFile = join(folder, 'manifest.json');
  let manifest: { artifacts?: Record<string, ManifestArtifact> };
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as typeof manifest;
  } catch (error) {
    throw new UserInputError(`${folder}: not a cloud assembly folder (${manifestFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const templates = Object.entries(manifest.artifacts ?? {}).flatMap(([id, artifact]): CheckedTemplate[] => {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      return [readTemplate(join(folder, artifact.properties.templateFile), artifact.properties.stackName ?? id)];
    }
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) return assemblyTemplates(join(folder, artifact.properties.directoryName));
    return [];
  });
  if (templates.length === 0) throw new UserInputError(`${folder}: the cloud assembly holds no CloudFormation stack`);
  return templates;
}

/** The templates named by the command's arguments: files, or cloud assembly folders. */
export function readCheckInputs(paths: readonly string[]): CheckedTemplate[] {
  if (paths.length === 0) throw new UserInputError('name at least one template file or cloud assembly folder');
  const templates = paths.flatMap((path) => {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new UserInputError(`${path}: no such file or folder`);
    }
    return isDirectory ? assemblyTemplates(path) : [readTemplate(path, basename(path).replace(/(\.template)?\.json$/, ''))];
  });
  const seen = new Set<string>();
  for (const template of templates) {
    const key = resolve(template.file);
    if (seen.has(key)) throw new UserInputError(`${template.file} is named twice`);
    seen.add(key);
  }
  return templates;
}

/**
 * Run the ADR-15 rules and the Control Tower controls over every template (one cfn-guard process
 * per template, all at once); `day` (YYYY-MM-DD, UTC) is the day the release calendar judges
 * (ADR15-VER-1): the CLI's `--date`, else today.
 */
export async function checkTemplates(templates: readonly CheckedTemplate[], day: string): Promise<CheckReport> {
  const controlTower = await checkControlTower(templates.map((template) => ({ templatePath: resolve(template.file), stackPath: template.stackName })));
  const findings = templates.flatMap((template): CheckFinding[] =>
    [
      ...evaluateAdrRules(template.template, template.stackName),
      ...evaluateSupportCalendar(template.template, template.stackName, day),
      ...(controlTower.get(resolve(template.file)) ?? []),
    ].map((finding) => ({ template: template.file, ...finding })),
  );
  return { templates, findings };
}
