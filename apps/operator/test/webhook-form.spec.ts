// The operator app's webhook form rules (apps/operator/app/utils/webhook-form.ts).
import { describe, expect, it } from 'vitest';
import {
  blankWebhookForm,
  deliveryStatusLabel,
  describeEvents,
  WEBHOOK_EVENT_ITEMS,
  webhookBody,
  webhookFormSchema,
} from '../app/utils/webhook-form';

const problems = (value: unknown) => {
  const result = webhookFormSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('webhookFormSchema', () => {
  it('takes an https URL and flag events', () => {
    expect(problems({ ...blankWebhookForm(), url: 'https://hooks.example.com/dezky' })).toEqual([]);
    expect(problems({ ...blankWebhookForm(), url: 'https://hooks.example.com/x', events: ['flag.kill', 'flag.schedule_*'] })).toEqual([]);
  });

  it('names what is wrong with each field', () => {
    expect(problems({ ...blankWebhookForm(), url: '' })).toEqual(['url: Enter the URL deliveries are sent to']);
    expect(problems({ ...blankWebhookForm(), url: 'hooks.example.com' })).toEqual(['url: Enter an https URL such as https://hooks.example.com/dezky']);
    expect(problems({ ...blankWebhookForm(), url: 'ftp://hooks.example.com' })).toEqual(['url: Enter an https URL such as https://hooks.example.com/dezky']);
    expect(problems({ ...blankWebhookForm(), url: 'https://h.example', events: [] })).toEqual(['events: Pick at least one event']);
    expect(problems({ ...blankWebhookForm(), url: 'https://h.example', events: ['tenant.update'] })).toEqual(['events.0: Not a flag event']);
  });
});

describe('webhookBody', () => {
  it('trims and sends each event once', () => {
    expect(webhookBody({ url: ' https://h.example/x ', events: ['flag.kill', 'flag.kill'], description: ' Ops ', enabled: false })).toEqual({
      url: 'https://h.example/x',
      events: ['flag.kill'],
      description: 'Ops',
      enabled: false,
    });
  });
});

describe('the event picker and the log', () => {
  it('offers the patterns before the known events, each with a label', () => {
    expect(WEBHOOK_EVENT_ITEMS.slice(0, 2)).toEqual([
      { value: 'flag.*', label: 'Every flag change' },
      { value: 'flag.schedule_*', label: 'Every scheduled change' },
    ]);
    expect(WEBHOOK_EVENT_ITEMS.find((i) => i.value === 'flag.kill')?.label).toBe('Kill switch');
  });

  it('describes events and statuses in words', () => {
    expect(describeEvents(['flag.kill', 'flag.*'])).toBe('Every flag change');
    expect(describeEvents(['flag.kill', 'flag.update'])).toBe('flag.kill, flag.update');
    expect(deliveryStatusLabel('pending', 0)).toBe('Queued');
    expect(deliveryStatusLabel('pending', 2)).toBe('Retrying');
    expect(deliveryStatusLabel('failed', 8)).toBe('Failed');
  });
});
