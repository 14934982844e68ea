import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { startSession, type Session } from '../support/session';

/**
 * OFREP 0.3.0 (its OpenAPI document is in test/fixtures/ofrep, Apache-2.0): our answers are
 * validated against the document's own schemas, and the real OpenFeature SDK evaluates flags
 * through the OFREP provider against the running API.
 */
function ofrepValidators() {
  const doc = parse(readFileSync(path.join(__dirname, '../fixtures/ofrep/openapi.yaml'), 'utf8')) as {
    components: { schemas: Record<string, Record<string, unknown>> };
  };
  // The document's codeDefaultFlag ("has no value property") is written as an open object,
  // which also matches every valued flag and so makes evaluationSuccess's oneOf unsatisfiable.
  // We read it as its description says: an object without `value`.
  doc.components.schemas.codeDefaultFlag = { type: 'object', not: { required: ['value'] } };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'ofrep', components: doc.components });
  const v = (name: string) => ajv.compile({ $ref: `ofrep#/components/schemas/${name}` });
  return {
    single: v('serverEvaluationSuccess'),
    failure: v('evaluationFailure'),
    notFound: v('flagNotFound'),
    bulk: v('bulkEvaluationSuccess'),
    bulkFailure: v('bulkEvaluationFailure'),
  };
}

describe('OpenFeature Remote Evaluation Protocol', () => {
  let s: Session;
  let baseUrl: string;
  const schemas = ofrepValidators();
  const valid = (validate: ReturnType<typeof ofrepValidators>['single'], body: unknown) => {
    const ok = validate(body);
    expect(ok, JSON.stringify(validate.errors)).toBe(true);
  };

  beforeAll(async () => {
    s = await startSession();
    await s.t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(s.t.app.getHttpServer().address() as AddressInfo).port}`;
    await s.alice.post('/tenants', { slug: 'ofrep-co', name: 'OFREP Co', plan: 'business' }).expect(201);
    await s.bob.post('/tenants', { slug: 'bob-only', name: 'Bob only' }).expect(201);
    await s.admin.patch('/flags/shared_mailboxes', { state: 'on' }).expect(200);
    await s.admin.patch('/flags/gdpr_export_v2', { state: 'targeted', scope: { tenantSlugs: ['ofrep-co'] } }).expect(200);
    await s.admin.patch('/flags/sso_enforcement', { state: 'targeted', scope: { plans: ['enterprise'] } }).expect(200);
    await s.admin.patch('/flags/jmap_native_v2', { state: 'rollout', pct: 50 }).expect(200);
  });
  afterAll(async () => {
    await OpenFeature.close();
    await s.close();
  });

  it('answers a single evaluation per the OFREP schema, with OpenFeature reasons', async () => {
    const cases: [string, boolean | null, string][] = [
      ['shared_mailboxes', true, 'STATIC'],
      ['webmail_dark_mode', false, 'DISABLED'],
      ['gdpr_export_v2', true, 'TARGETING_MATCH'],
      ['sso_enforcement', false, 'TARGETING_MATCH'],
      ['jmap_native_v2', null, 'SPLIT'],
    ];
    for (const [key, value, reason] of cases) {
      const res = await s.alice.post(`/ofrep/v1/evaluate/flags/${key}`, { context: { targetingKey: 'ofrep-co' } });
      expect(res.status, key).toBe(200);
      valid(schemas.single, res.body);
      expect(res.body).toMatchObject({ key, reason, variant: res.body.value ? 'on' : 'off' });
      if (value !== null) expect(res.body.value).toBe(value);
    }
    const evaluated = (await s.alice.post('/flags/evaluate', { tenantSlug: 'ofrep-co' })).body;
    const rollout = await s.alice.post('/ofrep/v1/evaluate/flags/jmap_native_v2', { context: { targetingKey: 'ofrep-co' } });
    expect(rollout.body.value).toBe(evaluated.jmap_native_v2);
    expect(rollout.body.metadata).toMatchObject({ pct: 50, bucket: expect.any(Number) });
  });

  it('answers errors with OFREP codes', async () => {
    const missing = await s.alice.post('/ofrep/v1/evaluate/flags/no_such_flag', { context: { targetingKey: 'ofrep-co' } });
    expect(missing.status).toBe(404);
    valid(schemas.notFound, missing.body);
    expect(missing.body).toMatchObject({ key: 'no_such_flag', errorCode: 'FLAG_NOT_FOUND' });

    const noKey = await s.alice.post('/ofrep/v1/evaluate/flags/shared_mailboxes', { context: {} });
    expect(noKey.status).toBe(400);
    valid(schemas.failure, noKey.body);
    expect(noKey.body.errorCode).toBe('TARGETING_KEY_MISSING');

    for (const body of [{}, { context: 'x' }, { context: { targetingKey: 'bob-only' } }, { context: { targetingKey: 'ghost-tenant' } }, { context: { targetingKey: { $ne: null } } }]) {
      const res = await s.alice.post('/ofrep/v1/evaluate/flags/shared_mailboxes', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      valid(schemas.failure, res.body);
      expect(res.body.errorCode).toBe('INVALID_CONTEXT');
    }
    // The same answer whether the tenant exists (Bob's) or not: existence is not revealed.
    const bobs = await s.alice.post('/ofrep/v1/evaluate/flags/shared_mailboxes', { context: { targetingKey: 'bob-only' } });
    const ghost = await s.alice.post('/ofrep/v1/evaluate/flags/shared_mailboxes', { context: { targetingKey: 'ghostly-co' } });
    expect(bobs.body.errorDetails.replace('bob-only', 'X')).toBe(ghost.body.errorDetails.replace('ghostly-co', 'X'));
    expect((await s.anonymous.post('/ofrep/v1/evaluate/flags/shared_mailboxes', { context: { targetingKey: 'ofrep-co' } })).status).toBe(401);
  });

  it('a targetingKey that is not a string is INVALID_CONTEXT on both routes, whatever keys it carries', async () => {
    const keys: unknown[] = [{ toString: 1 }, { valueOf: 1, toString: 1 }, { toString: 'x' }, [1, 2], ['ofrep-co'], 42, true];
    for (const targetingKey of keys) {
      for (const route of ['/ofrep/v1/evaluate/flags/shared_mailboxes', '/ofrep/v1/evaluate/flags']) {
        const res = await s.alice.post(route, { context: { targetingKey } });
        expect(res.status, `${route} ${JSON.stringify(targetingKey)}`).toBe(400);
        valid(route.endsWith('flags') ? schemas.bulkFailure : schemas.failure, res.body);
        expect(res.body).toMatchObject({ errorCode: 'INVALID_CONTEXT', errorDetails: expect.stringMatching(/^targetingKey must be a string/) });
      }
    }
  });

  it('answers bulk evaluation per the schema, with an ETag and 304 on If-None-Match', async () => {
    const res = await s.alice.post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'ofrep-co' } });
    expect(res.status).toBe(200);
    valid(schemas.bulk, res.body);
    const evaluated = (await s.alice.post('/flags/evaluate', { tenantSlug: 'ofrep-co' })).body;
    expect(Object.fromEntries(res.body.flags.map((f: { key: string; value: boolean }) => [f.key, f.value]))).toEqual(evaluated);
    const etag = res.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await s.alice.post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'ofrep-co' } }).set('If-None-Match', etag);
    expect(again.status).toBe(304);
    await s.admin.patch('/flags/webmail_dark_mode', { state: 'on' }).expect(200);
    const changed = await s.alice.post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'ofrep-co' } }).set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.body.flags.find((f: { key: string }) => f.key === 'webmail_dark_mode').value).toBe(true);
    const bad = await s.alice.post('/ofrep/v1/evaluate/flags', { context: {} });
    expect(bad.status).toBe(400);
    valid(schemas.bulkFailure, bad.body);
    expect(bad.body.errorCode).toBe('TARGETING_KEY_MISSING');
  });

  it('the OpenFeature server SDK evaluates flags through the OFREP provider against the running API', async () => {
    const token = await s.id.token('portal', 'alice@customer.test');
    await OpenFeature.setProviderAndWait(new OFREPProvider({ baseUrl, headers: [['Authorization', `Bearer ${token}`]] }));
    const client = OpenFeature.getClient();
    const ctx = { targetingKey: 'ofrep-co' };

    const on = await client.getBooleanDetails('shared_mailboxes', false, ctx);
    expect(on).toMatchObject({ value: true, reason: 'STATIC', variant: 'on' });
    expect(on.errorCode).toBeUndefined();
    expect(await client.getBooleanValue('gdpr_export_v2', false, ctx)).toBe(true);
    expect(await client.getBooleanValue('sso_enforcement', true, ctx)).toBe(false);

    const unknown = await client.getBooleanDetails('no_such_flag', true, ctx);
    expect(unknown).toMatchObject({ value: true, errorCode: 'FLAG_NOT_FOUND' });
    const foreign = await client.getBooleanDetails('shared_mailboxes', false, { targetingKey: 'bob-only' });
    expect(foreign).toMatchObject({ value: false, errorCode: 'INVALID_CONTEXT' });
    const noTarget = await client.getBooleanDetails('shared_mailboxes', false, {});
    expect(noTarget).toMatchObject({ value: false, errorCode: 'TARGETING_KEY_MISSING' });

    // A change made by an operator is what the SDK sees next.
    await s.admin.patch('/flags/shared_mailboxes', { state: 'off' }).expect(200);
    expect(await client.getBooleanDetails('shared_mailboxes', true, ctx)).toMatchObject({ value: false, reason: 'DISABLED' });
  });
});
