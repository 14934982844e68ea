// The planned ramp of the flag in the panel: the saved plan (GET /api/flags/:key/schedule, again
// every few seconds while it is active, so applied and halted steps show up), its editor rows with
// each step's exact impact (POST …/schedule/preview, 300 ms after the rows last changed), and the
// plan's actions: save (under the flag's ETag), pause, resume, cancel.
import type { Flag, FlagSchedule, FlagScheduleAnswer, FlagSchedulePreview } from '@dezky/contracts';

const PREVIEW_DEBOUNCE_MS = 300;
const POLL_MS = 5000;

export function useFlagSchedule(flag: () => Flag, onFlagChanged: () => void) {
  const { api } = useSessionEnd();
  const toast = useToast();
  const plan = ref<FlagSchedule | null>();
  const loadFailure = ref<string>();
  const busy = ref<'save' | 'pause' | 'resume' | 'cancel'>();
  const path = computed(() => `/api/flags/${encodeURIComponent(flag().key)}/schedule`);

  /** Shows the plan; a step that made a version newer than the panel's flag has the panel reload it. */
  function showPlan(next: FlagSchedule | null) {
    plan.value = next;
    if (next?.steps.some((s) => s.version !== null && s.version > flag().version)) onFlagChanged();
  }

  async function load() {
    try {
      showPlan((await api<FlagScheduleAnswer>(path.value)).schedule);
      loadFailure.value = undefined;
    } catch (error) {
      if (!isSessionEnded(error)) loadFailure.value = apiErrorMessage(error, 'The plan could not be loaded.');
    }
  }

  // ---- editor ----
  let ids = 0;
  const nextId = () => ++ids;
  const rows = ref<PlanRow[]>([]);
  const editing = ref(false);
  const now = ref(Date.now());
  const checked = computed(() => rowsToSteps(rows.value, now.value));

  function startEditing() {
    now.value = Date.now();
    const pending = plan.value && (plan.value.status === 'active' || plan.value.status === 'paused') ? rowsFromSteps(plan.value.steps, nextId) : [];
    rows.value = pending.length ? pending : [{ id: nextId(), now: true, local: '', state: flag().state === 'rollout' ? '' : 'rollout', pct: '5' }];
    editing.value = true;
  }

  function addRow() {
    const last = rows.value.at(-1);
    const lastAt = last ? (last.now ? now.value : localInputToMs(last.local)) : undefined;
    const lastPct = Number(last?.pct);
    const pct = Number.isInteger(lastPct) && lastPct < 100 ? String(Math.min(100, lastPct < 25 ? 25 : lastPct * 2)) : '';
    rows.value.push({ id: nextId(), now: false, local: localInputValue(nextDefaultTime(lastAt, Date.now())), state: '', pct });
  }

  function removeRow(id: number) {
    rows.value = rows.value.filter((r) => r.id !== id);
    if (rows.value[0] && rows.value.length && !rows.value[0].local && !rows.value[0].now) rows.value[0].local = localInputValue(nextDefaultTime(undefined, Date.now()));
  }

  // ---- preview ----
  const preview = ref<FlagSchedulePreview>();
  const previewStatus = ref<'idle' | 'pending' | 'ready' | 'error'>('idle');
  const previewFailure = ref<string>();
  /** The steps (JSON) the shown preview was computed for. */
  const previewFor = ref<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let request = 0;

  async function computePreview(json: string) {
    const current = ++request;
    try {
      const answer = await api<FlagSchedulePreview>(`${path.value}/preview`, { method: 'POST', body: { steps: JSON.parse(json) } });
      if (current !== request) return;
      preview.value = answer;
      previewFor.value = json;
      previewStatus.value = 'ready';
      previewFailure.value = undefined;
    } catch (error) {
      if (current !== request) return;
      previewStatus.value = 'error';
      previewFailure.value = apiErrorMessage(error, 'The impact could not be computed.');
    }
  }

  watch(
    [() => (editing.value && !checked.value.problems.length ? JSON.stringify(checked.value.steps) : ''), () => flag().version],
    ([json]) => {
      clearTimeout(timer);
      request++;
      if (!json) {
        previewStatus.value = 'idle';
        return;
      }
      previewStatus.value = 'pending';
      timer = setTimeout(() => computePreview(json), PREVIEW_DEBOUNCE_MS);
    },
  );

  // ---- actions ----
  async function act(kind: NonNullable<typeof busy.value>, run: () => Promise<FlagScheduleAnswer>, done: (p: FlagSchedule | null) => string) {
    if (busy.value) return false;
    busy.value = kind;
    try {
      const answer = await run();
      showPlan(answer.schedule);
      toast.add({ title: done(answer.schedule), color: 'success', icon: 'i-lucide-calendar-clock' });
      return true;
    } catch (error) {
      if (!isSessionEnded(error)) toast.add({ title: 'The plan was not changed', description: apiErrorMessage(error, 'Try again.'), color: 'error', icon: 'i-lucide-circle-alert' });
      return false;
    } finally {
      busy.value = undefined;
    }
  }

  async function save() {
    now.value = Date.now();
    if (checked.value.problems.length) return;
    const steps = checked.value.steps;
    const saved = await act(
      'save',
      () => api<FlagScheduleAnswer>(path.value, { method: 'PUT', body: { steps }, headers: { 'if-match': flag().etag } }),
      (p) => (p?.steps[0]?.executedAt ? 'Plan saved; its first step is applied' : 'Plan saved'),
    );
    if (saved) editing.value = false;
  }

  const pause = () => act('pause', () => api<FlagScheduleAnswer>(`${path.value}/pause`, { method: 'POST' }), () => 'Plan paused');
  const resume = async () => {
    await act('resume', () => api<FlagScheduleAnswer>(`${path.value}/resume`, { method: 'POST' }), () => 'Plan resumed on the current version');
  };
  const cancel = () => act('cancel', () => api<FlagScheduleAnswer>(path.value, { method: 'DELETE' }), () => 'Plan cancelled');

  // ---- following the plan ----
  let poll: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    load();
    poll = setInterval(() => {
      now.value = Date.now();
      if (plan.value?.status === 'active' && !busy.value) load();
    }, POLL_MS);
  });
  onBeforeUnmount(() => {
    clearInterval(poll);
    clearTimeout(timer);
  });
  // A change of the flag (a save, the kill switch, a revert) can pause or cancel the plan.
  watch(() => flag().version, () => load());

  return { plan, loadFailure, load, busy, rows, editing, checked, startEditing, addRow, removeRow, preview, previewStatus, previewFailure, previewFor, save, pause, resume, cancel };
}
