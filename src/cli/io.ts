/**
 * What a command may touch of the terminal. Tests pass their own buffers; results go to
 * `stdout`, progress and errors to `stderr`, so `bottlerocket-eks audit --format sarif > x` stays valid.
 */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  /** Read all of standard input (for `-` arguments). */
  readonly readStdin: () => Promise<string>;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Documented exit codes: the library returns results, the CLI picks the code. */
export const ExitCode = {
  ok: 0,
  /** Findings: a gate, policy, test or benchmark said no. */
  findings: 1,
  /** Bad input or usage: config, YAML, policy, report, flags. */
  badInput: 2,
  /** `releases check`: newer Bottlerocket releases are available. */
  updatesAvailable: 10,
  /** A bug in the tool (sysexits `EX_SOFTWARE`): never confused with bad input. */
  internalError: 70,
} as const;
