import { UserInputError } from '../../src/common/errors.js';

/** The `UserInputError` that `run` throws; any other outcome fails the test. */
export function userInputErrorOf(run: () => unknown, what = 'the input'): UserInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  throw new Error(`expected ${what} to be refused`);
}
