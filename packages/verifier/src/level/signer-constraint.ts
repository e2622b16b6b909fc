import type { VerifiedSigner } from '../checks/signature.ts';
import { verifyIdentity } from '../checks/identity.ts';
import { type IdentityPolicy, identityProblems } from '../identity-policy.ts';

/**
 * Who must have signed, in a root of trust (a trusted builder, a trusted VSA verifier): exactly one
 * of a trusted key by its provenant key id (hex SHA-256 of the DER SPKI, what `provenant verify`
 * prints) or a keyless certificate identity (SAN and issuer constraints, as the policy's
 * `identities`). A constraint with neither or both matches nothing.
 *
 * It narrows trust, never widens it: the signature must first verify with the verification's
 * trust material; this only says which of the trusted signers the root of trust is about.
 */
export interface SignerConstraint {
  /** A trusted key, by provenant key id (exactly one of keyId and identity). */
  keyId?: string;
  /** A keyless certificate identity (exactly one of keyId and identity). */
  identity?: IdentityPolicy;
}

/** True when the verified signer is the one the constraint names. */
export function signerMatches(signer: VerifiedSigner | undefined, constraint: SignerConstraint): boolean {
  if (signer === undefined || (constraint.keyId === undefined) === (constraint.identity === undefined)) return false;
  if (constraint.keyId !== undefined) return signer.kind === 'key' && typeof constraint.keyId === 'string' && signer.keyId.toLowerCase() === constraint.keyId.toLowerCase();
  const identity = constraint.identity!;
  return signer.kind === 'certificate' && identityProblems(identity).length === 0 && verifyIdentity(signer.identity, [identity]).length === 0;
}

/** A one-line description of a signer constraint, for reasons and messages. */
export function describeSignerConstraint(constraint: SignerConstraint): string {
  if (constraint.keyId !== undefined) return `key ${constraint.keyId}`;
  const id = constraint.identity ?? {};
  const san = id.subjectAlternativeName ?? (id.subjectAlternativeNameRegexp === undefined ? '?' : `/${id.subjectAlternativeNameRegexp}/`);
  const issuer = id.issuer ?? (id.issuerRegexp === undefined ? (id.noIssuer ? 'no issuer' : '?') : `/${id.issuerRegexp}/`);
  return `identity ${san} (issuer ${issuer})`;
}

/** A one-line description of a verified signer. */
export function describeSigner(signer: VerifiedSigner | undefined): string {
  if (signer === undefined) return 'no verified signer';
  if (signer.kind === 'key') return `key ${signer.keyId}`;
  return `identity ${signer.identity.subjectAlternativeName ?? '(no SAN)'} (issuer ${signer.identity.issuer ?? 'none'})`;
}
