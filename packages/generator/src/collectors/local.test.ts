import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeContext } from '../testing/fake-context.ts';
import { LOCAL_BUILDER_ID, localCollector } from './local.ts';

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('always detects', async () => {
  assert.equal(await localCollector.detect(fakeContext()), true);
  assert.equal(await localCollector.detect(fakeContext({ env: { GITHUB_ACTIONS: 'true' } })), true);
});

test('local builder, random v4 UUID URN, no runner kind, no ids', async () => {
  const facts = await localCollector.collect(fakeContext());
  assert.match(facts.invocationId, UUID_URN);
  assert.deepEqual({ ...facts, invocationId: '<random>' }, {
    platform: 'local',
    builderId: LOCAL_BUILDER_ID,
    invocationId: '<random>',
    platformIds: {},
  });
  assert.equal(LOCAL_BUILDER_ID, 'https://provenant.dev/builders/local/v1');
});

test('every invocation gets a new id', async () => {
  const ctx = fakeContext();
  const ids = new Set<string>();
  for (let i = 0; i < 20; i++) ids.add((await localCollector.collect(ctx)).invocationId);
  assert.equal(ids.size, 20);
});
