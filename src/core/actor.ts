/** Who did something. Written onto timeline events and audit entries. */
export type Actor =
  | { type: 'user'; id: string; name: string; role: UserRole }
  | { type: 'apiKey'; id: string; name: string; userId: string | null; role: UserRole; scopes: ApiKeyScope[] }
  | { type: 'integration'; id: string; name: string }
  | { type: 'system'; name: string };

export type UserRole = 'admin' | 'responder' | 'viewer';
export type ApiKeyScope = 'read' | 'write' | 'admin' | 'ingest';

export const systemActor = (name = 'firebreak'): Actor => ({ type: 'system', name });

export function actorId(actor: Actor): string | null {
  return actor.type === 'system' ? null : actor.id;
}
