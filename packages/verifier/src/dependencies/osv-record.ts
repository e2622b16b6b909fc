import { z } from 'zod';

export { OSV_ECOSYSTEM_TO_PURL_TYPE } from './osv-ecosystems.ts';

/** Exactly one of introduced, fixed, last_affected, limit (OSV schema, `events`). */
const EventSchema = z
  .looseObject({ introduced: z.string().min(1).optional(), fixed: z.string().min(1).optional(), last_affected: z.string().min(1).optional(), limit: z.string().min(1).optional() })
  .refine((e) => [e.introduced, e.fixed, e.last_affected, e.limit].filter((v) => v !== undefined).length === 1, {
    message: 'an event has exactly one of introduced, fixed, last_affected, limit',
  });

const RangeSchema = z.looseObject({
  // SEMVER, ECOSYSTEM and GIT today; a type added later is read and not evaluated.
  type: z.string().min(1),
  repo: z.string().optional(),
  events: z.array(EventSchema).min(1),
});

const AffectedSchema = z.looseObject({
  package: z.looseObject({ ecosystem: z.string().min(1), name: z.string().min(1), purl: z.string().optional() }).optional(),
  ranges: z.array(RangeSchema).optional(),
  versions: z.array(z.string()).optional(),
});

/**
 * The part of an OSV record (schema 1.x, https://ossf.github.io/osv-schema/) that matching reads.
 * Open: unknown fields (severity, references, database_specific, credits, ...) are allowed and kept
 * out of the index.
 */
export const OsvRecordSchema = z.looseObject({
  schema_version: z.string().optional(),
  id: z.string().min(1),
  modified: z.string().optional(),
  published: z.string().optional(),
  withdrawn: z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'withdrawn must be an RFC 3339 time' }).optional(),
  aliases: z.array(z.string()).optional(),
  summary: z.string().optional(),
  affected: z.array(AffectedSchema).optional(),
});

/** An OSV record as validated by OsvRecordSchema. */
export type OsvRecord = z.infer<typeof OsvRecordSchema>;
