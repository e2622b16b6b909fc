/** A case of ../shared/corpus/real-bundles/manifest.json (its README documents the fields). */
export interface RealBundleCase {
  id: string;
  bundle: string;
  artifact?: string;
  digest?: string;
  identity: string | null;
  identityRegex?: string | null;
  issuer: string | null;
  key?: string;
  trustedRoot: string;
  expect: 'pass' | 'fail';
  expectLayer?: 'parse' | 'policy' | 'subject';
  expectedPolicy?: Record<string, string>;
  minBundleVersion?: string;
  verifierOptions?: { tlogThreshold: number; ctlogThreshold: number; timestampThreshold: number };
  cert?: { san?: string; issuer?: string };
  slsa?: { predicateType?: string; subjects?: { digest: Record<string, string> }[] };
  sigstoreJs?: string;
}
