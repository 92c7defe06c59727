/**
 * The shape of one resolve check: a pure function from the loaded config to the problems it
 * finds, each a `UserInputError` with the position and field path of the value at fault. Checks
 * run on a config that already passed the schema, so they see defaults applied and never see
 * malformed values. Add a check as a module in this folder and list it in `index.ts`.
 */
import { UserInputError } from '../../common/errors.js';
import { formatFieldPath, positionOf, type YamlSource } from '../../common/yaml-source.js';
import type { PlatformConfig } from '../schema.js';

export interface ResolveInput {
  readonly config: PlatformConfig;
  readonly source: YamlSource;
}

export type FieldPath = ReadonlyArray<string | number>;

export type ConfigCheck = (input: ResolveInput) => readonly UserInputError[];

/** A problem at `path` of the config: positioned at the value (or its nearest present ancestor). */
export function problemAt(source: YamlSource, path: FieldPath, message: string, rule?: string): UserInputError {
  return new UserInputError(message, { position: positionOf(source, path), field: formatFieldPath(path), ...(rule === undefined ? {} : { rule }) });
}
