/**
 * Work a step can do before its turn, done while the AWS step waits for cfn-guard (the one long
 * wait of a synth: Control Tower runs in child processes after CDK synthesis and cdk-nag). Steps
 * queue it in `prepare()`; it starts when the AWS step starts waiting, or when the step asks for
 * its result, whichever comes first, so it never competes with CDK synthesis for the CPU.
 */
import type { PipelineContext } from './step.js';

export interface DeferredWork<T> {
  /** The work's result, starting it now if it has not started. */
  result(): Promise<T>;
}

const queues = new WeakMap<PipelineContext, Array<DeferredWork<unknown>>>();

export function deferWork<T>(context: PipelineContext, task: () => Promise<T>): DeferredWork<T> {
  let started: Promise<T> | undefined;
  const work: DeferredWork<T> = {
    result() {
      if (started === undefined) {
        started = task();
        // Its step reports a failure when it asks for the result; a run that stops earlier never asks.
        started.catch(() => undefined);
      }
      return started;
    },
  };
  const queue = queues.get(context) ?? [];
  queue.push(work);
  queues.set(context, queue);
  return work;
}

/** Run the queued work one item after another; never rejects (failures belong to the steps). */
export async function runDeferredWork(context: PipelineContext): Promise<void> {
  const queue = queues.get(context) ?? [];
  queues.delete(context);
  for (const work of queue) await work.result().catch(() => undefined);
}
