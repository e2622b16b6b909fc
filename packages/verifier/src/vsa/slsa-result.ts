/** `SLSA_<TRACK>_LEVEL_<n>`: a level of one SLSA track, as VSAs name them. */
const LEVEL = /^SLSA_([A-Z][A-Z0-9_]*?)_LEVEL_(0|[1-9][0-9]*)$/;

/** A SlsaResult that names a track level, read; undefined for other values (`FAILED`, custom ones, `..._UNEVALUATED`). */
export function parseSlsaLevel(value: string): { track: string; level: number } | undefined {
  const m = LEVEL.exec(value);
  return m ? { track: m[1]!, level: Number(m[2]) } : undefined;
}

/**
 * True when the verified levels meet a required one. A level implies every lower level of the same
 * track (`SLSA_BUILD_LEVEL_3` meets `SLSA_BUILD_LEVEL_2`), never a level of another track; any other
 * value (a custom one, `SLSA_BUILD_LEVEL_UNEVALUATED`) is met only by itself.
 */
export function levelsSatisfy(verifiedLevels: readonly string[], required: string): boolean {
  const want = parseSlsaLevel(required);
  if (want === undefined) return verifiedLevels.includes(required);
  return verifiedLevels.some((value) => {
    const got = parseSlsaLevel(value);
    return got !== undefined && got.track === want.track && got.level >= want.level;
  });
}
