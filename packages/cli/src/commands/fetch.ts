import { constants } from 'node:os';
import { ProvenantError } from '@provenant/core';
import { type FetchResult, fetchVerified, parseByteSize, parseTimeout } from '@provenant/verifier';
import { EXIT } from '../exit-codes.ts';
import { type Io, errorLine } from '../output.ts';
import { type TrustPolicyFlags, trustPolicyFromFlags } from '../verify-options.ts';

interface FetchFlags extends TrustPolicyFlags {
  out: string;
  bundleUrl?: string;
  timeout: string;
  maxRedirects: string;
  maxSize: string;
  allowInsecure?: boolean;
  json?: boolean;
}

/** The signals that stop a fetch cleanly: the temporary file is removed before the process exits. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function run(url: string, flags: FetchFlags, _cmd: unknown, io: Io): Promise<number> {
  const timeoutMs = parseTimeout(flags.timeout);
  if (timeoutMs === undefined) throw new ProvenantError('USAGE', `--timeout: not a duration like 300ms, 30s, 5m or 1h: ${flags.timeout.slice(0, 40)}`);
  const maxBytes = parseByteSize(flags.maxSize);
  if (maxBytes === undefined) throw new ProvenantError('USAGE', `--max-size: not a size like 500M, 2G or a number of bytes: ${flags.maxSize.slice(0, 40)}`);
  if (!/^[0-9]{1,3}$/.test(flags.maxRedirects)) throw new ProvenantError('USAGE', `--max-redirects: not a number from 0 to 999: ${flags.maxRedirects.slice(0, 40)}`);
  const { trust, policy, advisories } = await trustPolicyFromFlags(flags);

  const controller = new AbortController();
  let stoppedBy: (typeof STOP_SIGNALS)[number] | undefined;
  const stop = (signal: (typeof STOP_SIGNALS)[number]) => {
    stoppedBy = signal;
    controller.abort();
  };
  // `once`: a second Ctrl-C gets the default behaviour, for a clean-up that hangs.
  for (const signal of STOP_SIGNALS) process.once(signal, stop);
  let result: FetchResult;
  try {
    result = await fetchVerified({
      url,
      out: flags.out,
      ...(flags.bundleUrl === undefined ? {} : { bundleUrl: flags.bundleUrl }),
      trust,
      policy,
      timeoutMs,
      maxBytes,
      maxRedirects: Number(flags.maxRedirects),
      allowInsecure: flags.allowInsecure === true,
      signal: controller.signal,
      ...(advisories === undefined ? {} : { advisories }),
    });
  } catch (err) {
    if (stoppedBy === undefined) throw err;
    io.stderr(errorLine(err));
    // The shell's convention for a process ended by a signal.
    return 128 + constants.signals[stoppedBy];
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
  }

  if (flags.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(render(result));
  if (result.ok) return EXIT.OK;
  const first = result.findings[0];
  io.stderr(`provenant: ${first?.code ?? 'INTERNAL'}: ${oneLine(first?.message ?? 'refused')}; nothing was written to ${flags.out}\n`);
  return EXIT.VERIFICATION_FAILED;
}

function render(result: FetchResult): string {
  if (!result.ok) return `FAILED\n${result.findings.map((f) => `  ${f.code}: ${f.message}${f.path ? ` (at ${f.path})` : ''}\n`).join('')}`;
  const lines = ['PASSED'];
  lines.push(`  saved    ${result.path} (${result.size} bytes, sha256:${result.digests?.sha256})`);
  if (result.attestationUrl) lines.push(`  attested ${result.attestationUrl}`);
  const verification = result.verification;
  const subject = verification?.subjects[0];
  if (subject) lines.push(`  subject  ${subject.name ?? '(unnamed)'}`);
  const signer = verification?.signer;
  if (signer?.kind === 'key') lines.push(`  signer   key ${signer.keyId}`);
  if (signer?.kind === 'certificate') lines.push(`  signer   ${signer.identity.subjectAlternativeName ?? '(no SAN)'}${signer.identity.issuer ? ` (issuer ${signer.identity.issuer})` : ''}`);
  const view = verification?.view;
  if (view?.builderId) lines.push(`  builder  ${view.builderId}`);
  if (view?.source) lines.push(`  source   ${view.source.uri}${view.source.ref ? ` @ ${view.source.ref}` : ''}${view.source.commit ? ` (${view.source.commit})` : ''}`);
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
