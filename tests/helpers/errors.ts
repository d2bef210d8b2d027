import { ApiError } from '../../src-main/contract/index.js';

/** The ApiError a call was refused with (fails the test when it was not refused). */
export async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}
