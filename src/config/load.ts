/**
 * Load and validate `platform.yaml`. Every problem is reported with `file:line:col`, the field
 * path and, where the input breaks an ADR rule, the rule id. Nothing downstream runs on a config
 * that failed here.
 */
import { readFile } from 'node:fs/promises';
import { isPair, isScalar, isSeq, visit } from 'yaml';
import type { z } from 'zod';
import { UserInputError, UserInputErrors } from '../common/errors.js';
import { formatFieldPath, keyPositionIn, parseYamlSource, positionOf, type YamlSource } from '../common/yaml-source.js';
import type { PlatformModel } from './model.js';
import { platformOwnedSetting } from './platform-owned.js';
import { resolvePlatform } from './resolve/index.js';
import { platformSchema, type PlatformConfig } from './schema.js';

export interface LoadedConfig {
  /** The validated config, defaults applied. */
  readonly config: PlatformConfig;
  /** The parsed document, kept for position look-ups and comment-preserving edits. */
  readonly source: YamlSource;
}

/** Read, parse and validate a platform config file. Throws `UserInputError(s)` on any problem. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserInputError(`cannot read config file: ${(error as Error).message}`, { position: { file, line: 1, col: 1 } });
  }
  return parseConfig(file, text);
}

/** Read, parse, validate and resolve a platform config file: the model every command starts from. */
export async function loadPlatformModel(file: string): Promise<PlatformModel> {
  return resolvePlatform(await loadConfig(file));
}

/** Parse, validate and resolve config text; `file` is used for error positions only. */
export function parsePlatformModel(file: string, text: string): PlatformModel {
  return resolvePlatform(parseConfig(file, text));
}

/** Parse and validate config text (shape only; see `parsePlatformModel` for the full check); `file` is used for error positions only. */
export function parseConfig(file: string, text: string): LoadedConfig {
  const source = parseYamlSource(file, text);
  rejectPlatformOwnedSettings(source);
  const result = platformSchema.safeParse(source.document.toJS());
  if (!result.success) throw toUserInputErrors(source, result.error);
  return { config: result.data, source };
}

function rejectPlatformOwnedSettings(source: YamlSource): void {
  const errors: UserInputError[] = [];
  visit(source.document, {
    Pair(_key, pair, path) {
      if (!isScalar(pair.key)) return;
      const parentPath = fieldPathOf(path);
      if (!isEnvironmentOrNodeGroup(parentPath)) return;
      const setting = platformOwnedSetting(String(pair.key.value));
      if (!setting) return;
      const fieldPath = [...parentPath, String(pair.key.value)];
      const parent = path[path.length - 1];
      errors.push(
        new UserInputError(`\`${String(pair.key.value)}\` is owned by the platform: ${setting.why}`, {
          position: keyPositionIn(source, parent, String(pair.key.value)) ?? positionOf(source, fieldPath),
          field: formatFieldPath(fieldPath),
          rule: setting.rule,
        }),
      );
    },
  });
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new UserInputErrors(errors);
}

/** Platform-owned keys are refused where a user would put them: on an environment or a node group. */
function isEnvironmentOrNodeGroup(path: ReadonlyArray<string | number>): boolean {
  const [root, envIndex, nodeGroups, groupIndex, ...rest] = path;
  if (root !== 'environments' || typeof envIndex !== 'number') return false;
  if (nodeGroups === undefined) return true;
  return nodeGroups === 'nodeGroups' && typeof groupIndex === 'number' && rest.length === 0;
}

/** The field path of the visitor's current ancestry (`path` holds maps, sequences and pairs). */
function fieldPathOf(ancestry: readonly unknown[]): Array<string | number> {
  const fields: Array<string | number> = [];
  ancestry.forEach((node, index) => {
    const child = ancestry[index + 1];
    if (isPair(node) && isScalar(node.key)) fields.push(String(node.key.value));
    if (isSeq(node) && child !== undefined) fields.push(node.items.indexOf(child as never));
  });
  return fields;
}

function toUserInputErrors(source: YamlSource, error: z.ZodError): UserInputError {
  const errors = error.issues.flatMap((issue) => issueToErrors(source, issue, []));
  return errors.length === 1 ? errors[0]! : new UserInputErrors(errors);
}

type Issue = z.core.$ZodIssue;

function issueToErrors(source: YamlSource, issue: Issue, parentPath: ReadonlyArray<string | number>): UserInputError[] {
  const path = [...parentPath, ...issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol')];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // "Invalid input" helps nobody: report the problems of the alternative the user meant.
    return closestAlternative(issue.errors).flatMap((inner) => issueToErrors(source, inner, path));
  }
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
    const mapNode = source.document.getIn(path, true);
    const firstKey = issue.keys[0]!;
    return [
      new UserInputError(`unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}`, {
        position: keyPositionIn(source, mapNode, firstKey) ?? positionOf(source, path),
        field: formatFieldPath([...path, firstKey]),
      }),
    ];
  }
  return [new UserInputError(issue.message, { position: positionOf(source, path), field: formatFieldPath(path) || '(root)' })];
}

/**
 * The union alternative the input was closest to: the one whose own keys were all recognized,
 * else the one with the fewest problems. For `network: {createVpc: {cidr: bad}}` that is the
 * `createVpc` branch, so the error names `network.createVpc.cidr`.
 */
function closestAlternative(alternatives: readonly (readonly Issue[])[]): readonly Issue[] {
  const recognized = alternatives.filter((issues) => !issues.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0));
  const candidates = recognized.length > 0 ? recognized : alternatives;
  return candidates.reduce((best, issues) => (issues.length < best.length ? issues : best));
}
