/** The one table that maps outcomes to process exit statuses. */
export const EXIT = {
  /** Verified, or the command did what was asked. */
  OK: 0,
  /** A verification ran and failed: the findings say why. */
  VERIFICATION_FAILED: 1,
  /** Bad input or usage: unreadable or malformed file, bad policy, unknown flag. */
  BAD_INPUT: 2,
} as const;
