// The rollout percentage of a form, as a slider (clamped whole numbers) and as typed text. Only a
// whole number from 0 to 100 reaches the form; anything else ("12.5", "1,5", "-5") stays in the
// field, refused, and is never rounded or clamped into another.

export function useRolloutInput(form: Ref<FlagForm | undefined>) {
  const pct = computed({
    get: () => form.value?.pct ?? 0,
    set: (value: number) => {
      if (form.value) form.value.pct = Math.min(100, Math.max(0, Math.round(Number(value) || 0)));
    },
  });
  const text = ref('');
  watch(
    [form, () => form.value?.pct],
    ([, value]) => {
      if (value !== undefined && parsePct(text.value) !== value) text.value = String(value);
    },
    { immediate: true },
  );
  watch(text, (typed) => {
    const value = parsePct(typed);
    if (value !== undefined && form.value) form.value.pct = value;
  });
  const invalid = computed(() => form.value?.state === 'rollout' && parsePct(text.value) === undefined);
  return { pct, text, invalid };
}
