import { createContext, useContext } from 'react';
import type { ServiceSummary, Session, Severity, UserSummary } from '../api/types.js';

/** Things every page needs once per sign-in: who I am and the reference lists. */
export interface AppData {
  session: Session;
  severities: Severity[];
  /** null when the server has no such endpoint (older server): pages fall back to free text. */
  users: UserSummary[] | null;
  services: ServiceSummary[] | null;
  signOut(): Promise<void>;
  /** Re-reads severities, users and services (after a page changed them). */
  refresh(): Promise<void>;
}

export const AppContext = createContext<AppData | null>(null);

export function useApp(): AppData {
  const data = useContext(AppContext);
  if (!data) throw new Error('useApp outside a signed-in page');
  return data;
}
