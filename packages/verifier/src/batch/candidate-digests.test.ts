import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ARTIFACT_DIGEST, provenantStatement, signedBundle } from '../testing/fixtures.ts';
import { candidateDigests, subjectArrays } from './candidate-digests.ts';

describe('candidateDigests', () => {
  it('reads the subjects of a signed statement as alg:hex keys, lowercase', async () => {
    const statement = provenantStatement((s) => {
      s.subject = [{ name: 'a', digest: { sha256: ARTIFACT_DIGEST.sha256.toUpperCase(), sha1: 'ab'.repeat(20) } }, { name: 'b', digest: { sha512: 'cd'.repeat(64) } }];
    });
    assert.deepEqual(await signedBundle(statement).then(candidateDigests), [`sha256:${ARTIFACT_DIGEST.sha256}`, `sha512:${'cd'.repeat(64)}`]);
  });

  it('finds a subject array anywhere in the payload, skipping strings that hold brackets and quotes', () => {
    const payload = Buffer.from(JSON.stringify({ predicate: { note: 'x"]}[{', subject: [{ digest: { sha256: '1' } }] }, subject: [{ name: 'a]"[', digest: { sha256: '2' } }] }));
    assert.deepEqual(subjectArrays(payload), [[{ digest: { sha256: '1' } }], [{ name: 'a]"[', digest: { sha256: '2' } }]]);
    const spaced = Buffer.from('{ "subject" :\n [ { "digest" : { "sha256" : "3" } } ] }');
    assert.deepEqual(subjectArrays(spaced), [[{ digest: { sha256: '3' } }]]);
  });

  it('gives up (the whole payload is parsed instead) when no array follows or the JSON is broken', () => {
    assert.equal(subjectArrays(Buffer.from('{"subjects":[]}')), undefined);
    assert.equal(subjectArrays(Buffer.from('{"subject":"x"}')), undefined);
    assert.equal(subjectArrays(Buffer.from('{"subject":[{"digest":}]}')), undefined);
    assert.equal(subjectArrays(Buffer.from('{"subject":[{"digest":{}]')), undefined);
  });
});
