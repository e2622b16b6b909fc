/** The version of provenant, as recorded in provenance and printed by --version. Bumped with package.json. */
export const VERSION = '0.1.0';
