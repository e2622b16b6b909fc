import type { LoadedAttestation } from '@provenant/core';
import type { Finding } from '../finding.ts';
import type { IdentityPolicy } from '../identity-policy.ts';
import { type SignedContent, materialOfContent } from '../signed-content.ts';
import type { TrustMaterial } from '../trust.ts';
import { type GitHubBuilderTrust, verifyGitHubBuilderCertificate } from './github-builder.ts';
import { verifyIdentity } from './identity.ts';
import { type VerifiedSigner, verifyKeyMessageSignature, verifyKeySignature } from './signature.ts';
import { verifySigstoreSignature } from './sigstore-signature.ts';
import type { ArtifactDigests } from './subject.ts';

export type SignerOutcome = { ok: true; signer: VerifiedSigner } | { ok: false; findings: Finding[] };

/**
 * Who signed, and is that someone trusted? Dispatches on the bundle's verification material: a
 * certificate is verified against the trusted roots, then matched against the trust material's
 * identities and the policy's (one of each list that is not empty) and, when the policy trusts
 * GitHub builders, checked as one (see github-builder.ts); a key signature is checked
 * with the trusted keys, by its signature alone or, with `keyVerification: 'sigstore'`, against
 * the trusted roots' logs and timestamps too.
 */
export function verifySigner(
  att: LoadedAttestation,
  content: SignedContent,
  artifact: ArtifactDigests,
  trust: TrustMaterial,
  policyIdentities: readonly IdentityPolicy[],
  githubBuilder?: GitHubBuilderTrust,
): SignerOutcome {
  const material = materialOfContent(content);
  if (material.kind === 'certificate') return verifyKeylessSigner(att, content, artifact, trust, policyIdentities, githubBuilder);
  if (trust.publicKeys.length === 0) {
    return failed({
      code: 'KEY_UNTRUSTED',
      message: 'the bundle is signed with a key, and no key is trusted (only certificate identities)',
      path: material.kind === 'public-key' ? 'verificationMaterial.publicKey' : 'signatures',
      expected: 'certificate',
      actual: 'publicKey',
    });
  }
  if (trust.keyVerification === 'sigstore' && att.kind === 'bundle') return outcome(verifySigstoreSignature(att.bundle, content, artifact, trust, trust.publicKeys));
  return outcome(content.kind === 'dsse' ? verifyKeySignature(content.envelope, trust) : verifyKeyMessageSignature(content.message, artifact, trust));
}

function verifyKeylessSigner(
  att: LoadedAttestation,
  content: SignedContent,
  artifact: ArtifactDigests,
  trust: TrustMaterial,
  policyIdentities: readonly IdentityPolicy[],
  githubBuilder: GitHubBuilderTrust | undefined,
): SignerOutcome {
  if (att.kind !== 'bundle' || trust.trustedRoots.length === 0 || (trust.identities.length === 0 && policyIdentities.length === 0 && githubBuilder === undefined)) {
    return failed({
      code: 'KEY_UNTRUSTED',
      message:
        trust.trustedRoots.length === 0
          ? 'the bundle is signed with a certificate (keyless): verifying it needs a Sigstore trusted root and an expected identity, and only public keys are trusted here'
          : 'the bundle is signed with a certificate (keyless), and no certificate identity is trusted: give one (SAN and OIDC issuer)',
      path: 'verificationMaterial',
      expected: trust.trustedRoots.length === 0 ? 'publicKey' : 'a certificate identity',
      actual: 'certificate',
    });
  }
  const verified = verifySigstoreSignature(att.bundle, content, artifact, trust);
  if (!verified.ok) return failed(verified.finding);
  const signer = verified.signer;
  if (signer.kind !== 'certificate') return { ok: true, signer };
  const findings = [...(trust.identities.length > 0 ? verifyIdentity(signer.identity, trust.identities) : [])];
  if (findings.length === 0 && policyIdentities.length > 0) findings.push(...verifyIdentity(signer.identity, policyIdentities));
  if (findings.length === 0 && githubBuilder !== undefined) findings.push(...verifyGitHubBuilderCertificate(signer.identity, githubBuilder));
  return findings.length === 0 ? { ok: true, signer } : { ok: false, findings };
}

function outcome(result: { ok: true; signer: VerifiedSigner } | { ok: false; finding: Finding }): SignerOutcome {
  return result.ok ? result : failed(result.finding);
}

function failed(finding: Finding): SignerOutcome {
  return { ok: false, findings: [finding] };
}
