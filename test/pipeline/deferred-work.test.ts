import { describe, expect, test } from 'vitest';
import { deferWork, runDeferredWork } from '../../src/pipeline/deferred-work.js';
import type { PipelineContext } from '../../src/pipeline/step.js';

const newContext = () => ({}) as PipelineContext;

describe('deferred work', () => {
  test('GIVEN queued work THEN it starts only when the AWS step runs the queue, once, and its result is kept', async () => {
    const context = newContext();
    const calls: string[] = [];
    const work = deferWork(context, async () => {
      calls.push('ran');
      return 42;
    });
    expect(calls).toEqual([]);
    await runDeferredWork(context);
    expect(calls).toEqual(['ran']);
    expect(await work.result()).toBe(42);
    await runDeferredWork(context);
    expect(calls).toEqual(['ran']);
  });

  test('GIVEN nobody runs the queue THEN asking for the result starts the work', async () => {
    const work = deferWork(newContext(), async () => 'done');
    expect(await work.result()).toBe('done');
  });

  test('GIVEN failing work THEN the queue run does not reject and the failure reaches whoever asks for the result', async () => {
    const context = newContext();
    const work = deferWork(context, async () => {
      throw new Error('bad policy file');
    });
    await expect(runDeferredWork(context)).resolves.toBeUndefined();
    await expect(work.result()).rejects.toThrow('bad policy file');
  });
});
