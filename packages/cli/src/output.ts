import { isProvenantError } from '@provenant/core/verification';

/** Where the CLI writes; injected so commands run in-process in tests. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stderrIsTTY: boolean;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
};

/** The single line a user sees for an error: `provenant: CODE: message`. Never a stack trace. */
export function errorLine(err: unknown): string {
  if (isProvenantError(err)) return `provenant: ${err.code}: ${oneLine(err.message)}\n`;
  const message = err instanceof Error ? err.message : String(err);
  return `provenant: INTERNAL: ${oneLine(message)}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
