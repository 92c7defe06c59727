/**
 * Errors the user can fix: bad config, bad YAML, bad policies, bad reports.
 * The CLI prints them without a stack trace and exits with code 2.
 */
export interface SourcePosition {
  /** Path of the file as the user named it. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
}

export interface UserInputErrorOptions {
  /** Where in which file the problem is, when known. */
  readonly position?: SourcePosition;
  /** Dotted field path inside the document, e.g. `environments[0].nodeGroups[1].releaseVersion`. */
  readonly field?: string;
  /** A rule id (e.g. `ADR15-IMDS-1`) when the input breaks a named rule. */
  readonly rule?: string;
  readonly cause?: unknown;
}

export class UserInputError extends Error {
  readonly position?: SourcePosition;
  readonly field?: string;
  readonly rule?: string;

  constructor(message: string, options: UserInputErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserInputError';
    this.position = options.position;
    this.field = options.field;
    this.rule = options.rule;
  }

  /** `file:line:col: field: [rule] message`, the form editors and CI annotations understand. */
  format(): string {
    const where = this.position ? `${this.position.file}:${this.position.line}:${this.position.col}: ` : '';
    const field = this.field ? `${this.field}: ` : '';
    const rule = this.rule ? `[${this.rule}] ` : '';
    return `${where}${field}${rule}${this.message}`;
  }
}

/** Several problems found in one input, reported together so the user fixes them in one pass. */
export class UserInputErrors extends UserInputError {
  readonly errors: readonly UserInputError[];

  constructor(errors: readonly UserInputError[]) {
    super(errors.map((e) => e.format()).join('\n'));
    this.name = 'UserInputErrors';
    this.errors = errors;
  }

  override format(): string {
    return this.errors.map((e) => e.format()).join('\n');
  }
}
