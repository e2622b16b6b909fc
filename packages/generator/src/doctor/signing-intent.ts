/** How `provenant attest` would sign, from the same flags: it decides what the token and log checks expect. */
export interface SigningIntent {
  /** `--key`: no OIDC token is needed and nothing goes to a transparency log. */
  key?: boolean;
  /** `--identity-token`: the token is given, not requested from the platform. */
  identityToken?: boolean;
  /** `--signing-config` or `--rekor-url`: the log is one the user named, not the public-good Rekor. */
  ownSigstore?: boolean;
  /** `--no-tlog`: no log entry at all. */
  noTlog?: boolean;
}
