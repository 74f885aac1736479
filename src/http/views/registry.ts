import { z } from 'zod';

/**
 * Response views by name: each becomes `components.schemas.<Name>` in the OpenAPI document, so
 * the generated web client names it (`components['schemas']['Incident']`) instead of repeating it
 * inline in every operation that answers with it.
 */
export const viewRegistry = z.registry<{ id: string }>();

export function view<T extends z.ZodType>(id: string, schema: T): T {
  viewRegistry.add(schema, { id });
  return schema;
}

/** `{ items: [...] }`, what list routes answer. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** An ISO 8601 time as the API writes it. */
export const isoTime = z.string();
