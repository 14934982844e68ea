import { describe, expect, it } from 'vitest';
import './support/layer-imports';
import { useModalAction } from '../app/composables/useModalAction';

/** A failed call as `$api` throws it, with the API's message when it gave one. */
function failedCall(status: number, message?: string) {
  return Object.assign(new Error('failed'), { name: 'FetchError', statusCode: status, data: message ? { message } : undefined });
}

describe('useModalAction: a modal saving, and what it shows when the save failed', () => {
  it('is saving while the call runs, and shows no failure once it succeeded', async () => {
    const { saving, failure, run } = useModalAction();
    failure.value = 'an earlier failure';
    let savingDuringCall = false;
    await run(async () => {
      savingDuringCall = saving.value;
      expect(failure.value).toBeUndefined();
    }, 'Not saved.');
    expect(savingDuringCall).toBe(true);
    expect(saving.value).toBe(false);
    expect(failure.value).toBeUndefined();
  });

  it("shows the server's message, else the modal's own sentence", async () => {
    const { saving, failure, run } = useModalAction();
    await run(() => Promise.reject(failedCall(422, 'Margin must be 0-100.')), 'Not saved.');
    expect(failure.value).toBe('Margin must be 0-100.');
    await run(() => Promise.reject(failedCall(500)), 'Not saved.');
    expect(failure.value).toBe('Not saved.');
    expect(saving.value).toBe(false);
  });

  it('leaves the failure empty when the modal shows the error elsewhere', async () => {
    const { failure, run } = useModalAction();
    let conflict: string | undefined;
    await run(
      () => Promise.reject(failedCall(409, 'Slug taken.')),
      (error) => {
        conflict = apiErrorMessage(error);
        return undefined;
      },
    );
    expect(conflict).toBe('Slug taken.');
    expect(failure.value).toBeUndefined();
  });
});
