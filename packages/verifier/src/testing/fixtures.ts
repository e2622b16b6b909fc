// Test fixtures: statements of each supported shape, signed at test time with fresh keys.
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import {
  type GeneratedKeyPair,
  type KeyType,
  KeySigner,
  type LoadedAttestation,
  digestBytes,
  generateKeyPair,
  loadPrivateKey,
  parseAttestations,
  serializeBundle,
  signStatementToBundle,
  signToEnvelope,
} from '@provenant/core';

export const ARTIFACT = Buffer.from('the artifact bytes\n');
export const ARTIFACT_DIGEST = digestBytes(ARTIFACT, ['sha256']) as { sha256: string };
export const OTHER_DIGEST = digestBytes(Buffer.from('another artifact'), ['sha256']);
export const COMMIT = '0123456789abcdef0123456789abcdef01234567';
export const BUILDER_ID = 'https://provenant.dev/builders/github-actions@v1';
/** The time the fixture builds finished; verify with NOW (one hour later). */
export const FINISHED_ON = '2025-06-01T12:00:00Z';
export const NOW = new Date('2025-06-01T13:00:00Z');

type Json = Record<string, unknown>;

/** A SLSA v1 statement with provenant's buildType, as provenant's generator writes it. */
export function provenantStatement(change: (s: Json & { predicate: Json }) => void = () => {}): Json {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app.tgz', digest: { ...ARTIFACT_DIGEST } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://provenant.dev/buildtypes/ci/v1',
        externalParameters: {
          source: { repository: 'https://github.com/acme/app', ref: 'refs/heads/main', commit: COMMIT },
          trigger: { event: 'push' },
          workflow: { path: '.github/workflows/release.yml', ref: 'refs/heads/main' },
        },
        resolvedDependencies: [{ uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { gitCommit: COMMIT } }],
      },
      runDetails: {
        builder: { id: BUILDER_ID },
        metadata: { invocationId: 'https://github.com/acme/app/actions/runs/1/attempts/1', startedOn: '2025-06-01T11:58:00Z', finishedOn: FINISHED_ON },
      },
    } as Json,
  };
  change(statement);
  return statement;
}

/** A SLSA v1 statement as GitHub artifact attestations (actions/attest-build-provenance) write it. */
export function githubStatement(): Json {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app.tgz', digest: { ...ARTIFACT_DIGEST } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: { workflow: { ref: 'refs/tags/v1.2.0', repository: 'https://github.com/Owner/Repo', path: '.github/workflows/release.yml' } },
        internalParameters: { github: { event_name: 'push', repository_id: '1', repository_owner_id: '2' } },
        resolvedDependencies: [{ uri: 'git+https://github.com/Owner/Repo@refs/tags/v1.2.0', digest: { gitCommit: COMMIT } }],
      },
      runDetails: {
        builder: { id: 'https://github.com/Owner/Repo/.github/workflows/release.yml@refs/tags/v1.2.0' },
        metadata: { invocationId: 'https://github.com/Owner/Repo/actions/runs/9/attempts/1' },
      },
    },
  };
}

/** An in-toto v0.1 statement with a SLSA v0.2 predicate (slsa-github-generator before v1). */
export function v02Statement(): Json {
  return {
    _type: 'https://in-toto.io/Statement/v0.1',
    subject: [{ name: 'app.tgz', digest: { ...ARTIFACT_DIGEST } }],
    predicateType: 'https://slsa.dev/provenance/v0.2',
    predicate: {
      builder: { id: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.9.0' },
      buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
      invocation: {
        configSource: { uri: 'git+https://github.com/acme/app.git@refs/heads/main', digest: { sha1: COMMIT }, entryPoint: '.github/workflows/release.yml' },
      },
      metadata: { buildInvocationId: '42-1', buildStartedOn: '2025-06-01T11:58:00Z', buildFinishedOn: FINISHED_ON },
      materials: [{ uri: 'git+https://github.com/acme/app.git@refs/heads/main', digest: { sha1: COMMIT } }],
    },
  };
}

const pairs = new Map<KeyType, GeneratedKeyPair>();

/** A key pair generated once per test process and type (never written to disk). */
export function testKey(type: KeyType = 'ecdsa-p256', fresh = false): GeneratedKeyPair {
  if (fresh) return generateKeyPair(type);
  let pair = pairs.get(type);
  if (!pair) {
    pair = generateKeyPair(type);
    pairs.set(type, pair);
  }
  return pair;
}

/** Bytes of a statement exactly as they will be signed. */
export function payloadOf(statement: Json | Uint8Array): Buffer {
  return statement instanceof Uint8Array ? Buffer.from(statement) : Buffer.from(JSON.stringify(statement));
}

/** Signs into a Sigstore bundle v0.3 and loads it back the way a file would be read. */
export async function signedBundle(statement: Json | Uint8Array, pair = testKey(), payloadType?: string): Promise<LoadedAttestation> {
  return loadBundle(await bundleJson(statement, pair, payloadType));
}

/** The bundle's JSON form, for tests that tamper with it before loading. */
export async function bundleJson(statement: Json | Uint8Array, pair = testKey(), payloadType?: string): Promise<Json> {
  const bundle = await signStatementToBundle(payloadOf(statement), new KeySigner(loadPrivateKey(pair.privateKeyPem)), payloadType);
  return JSON.parse(serializeBundle(bundle)) as Json;
}

export function loadBundle(json: Json): LoadedAttestation {
  const [att] = parseAttestations(JSON.stringify(json));
  return att!;
}

/** Signs into a bare DSSE envelope (a line of an .intoto.jsonl file) and loads it back. */
export function signedEnvelope(statement: Json | Uint8Array, pair = testKey()): LoadedAttestation {
  const [att] = parseAttestations(JSON.stringify(signToEnvelope(payloadOf(statement), loadPrivateKey(pair.privateKeyPem))));
  return att!;
}

/** A copy of a loaded bundle with its JSON changed (bundleFromJSON(bundleToJSON) round trip). */
export function withBundleJson(att: LoadedAttestation, change: (json: Json) => void): LoadedAttestation {
  if (att.kind !== 'bundle') throw new Error('not a bundle');
  const json = bundleToJSON(att.bundle) as Json;
  change(json);
  return { kind: 'bundle', bundle: bundleFromJSON(json), mediaType: att.mediaType };
}
