import { ref } from 'vue';

/**
 * A modal's one call (create, save, attach): `saving` while it runs, `failure` for the sentence the
 * modal shows when it failed. `failed` is that sentence when the server gave none, or a function of
 * the error that returns the sentence, or undefined when the modal shows the error elsewhere (a taken
 * key on its field).
 */
export function useModalAction() {
  const saving = ref(false);
  const failure = ref<string>();

  async function run(call: () => Promise<void>, failed: string | ((error: unknown) => string | undefined)): Promise<void> {
    saving.value = true;
    failure.value = undefined;
    try {
      await call();
    } catch (error) {
      failure.value = typeof failed === 'string' ? apiErrorMessage(error, failed) : failed(error);
    } finally {
      saving.value = false;
    }
  }

  return { saving, failure, run };
}
