const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parses payload bytes as JSON; bytes that are not UTF-8 are not JSON either. */
export function parsePayloadJson(payload: Uint8Array): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(UTF8.decode(payload)) };
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0]! };
  }
}
