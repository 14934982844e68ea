import { describe, expect, it } from 'vitest';
import { apiErrorMessage, apiErrorStatus, isRetryable, UNREACHABLE_MESSAGE } from '../shared/utils/api-error';

/** An error as ofetch throws it: named FetchError, with the response when there was one. */
function failed(status?: number, data?: unknown): Error {
  const error = new Error(status ? `[PATCH] "/api/flags/x": ${status}` : '[PATCH] "/api/flags/x": <no response> Failed to fetch');
  error.name = 'FetchError';
  if (status) Object.assign(error, { response: { status }, status, statusCode: status, data });
  return error;
}

describe('apiErrorMessage', () => {
  it("shows the server's message", () => {
    expect(apiErrorMessage(failed(409, { message: 'A flag with this key exists.' }))).toBe('A flag with this key exists.');
  });

  it('says the server could not be reached when there was no answer, never the fetch text', () => {
    expect(apiErrorMessage(failed(), 'The flag could not be saved.')).toBe(UNREACHABLE_MESSAGE);
  });

  it('sees through the error useFetch wraps around it', () => {
    const wrapped = Object.assign(new Error('[GET] "/api/audit": <no response> Failed to fetch', { cause: new TypeError('Failed to fetch') }), { name: 'NuxtError', statusCode: 500 });
    expect(apiErrorMessage(wrapped, 'The audit log could not be loaded.')).toBe(UNREACHABLE_MESSAGE);
    expect(apiErrorStatus(wrapped)).toBeUndefined();
    const answered = Object.assign(new Error('x', { cause: failed(404, { message: 'Tenant not found.' }) }), { name: 'NuxtError', statusCode: 404, data: { message: 'Tenant not found.' } });
    expect(apiErrorMessage(answered)).toBe('Tenant not found.');
    expect(apiErrorStatus(answered)).toBe(404);
  });

  it('falls back to the sentence given for an answer without a message, and for other errors', () => {
    expect(apiErrorMessage(failed(500), 'The flag could not be saved.')).toBe('The flag could not be saved.');
    expect(apiErrorMessage(new TypeError('x is undefined'), 'The flag could not be saved.')).toBe('The flag could not be saved.');
    expect(apiErrorMessage(undefined)).toBe('Something went wrong. Try again.');
  });
});

describe('isRetryable', () => {
  it.each([
    [failed(), true],
    [failed(503), true],
    [failed(500), true],
    [failed(429), true],
    [failed(412), false],
    [failed(404), false],
    [failed(400), false],
    [new Error('bug'), false],
  ])('%#', (error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });

  it('reads the status', () => {
    expect(apiErrorStatus(failed(412))).toBe(412);
    expect(apiErrorStatus(failed())).toBeUndefined();
  });
});
