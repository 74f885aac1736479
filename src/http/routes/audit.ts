import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { wholeNumberText } from '../../core/input-schemas.js';
import { listAudit } from '../../domain/audit/list-audit.js';
import { formatAuditHead, verifyAudit } from '../../domain/audit/verify-audit.js';
import type { Ctx } from '../../domain/context.js';
import { route, type RouteTable } from '../route.js';

const ListQuery = z.object({
  limit: z.string().regex(/^\d+$/, 'must be a whole number').optional(),
  cursor: wholeNumberText('is not a cursor this server gave out').optional(),
  action: z.string().optional().describe('an action (user.update) or a prefix (user)'),
});
const VerifyQuery = z.object({ expectHead: z.string().optional().describe('SEQ:HASH exported earlier; detects a truncated tail') });

export function registerAuditRoutes(app: FastifyInstance, table: RouteTable, buildCtx: (req: FastifyRequest) => Ctx): void {
  const r = <B, Q>(spec: Parameters<typeof route<B, Q>>[2]) => route(app, table, spec, buildCtx);
  r({
    method: 'GET', url: '/api/v1/audit', tag: 'audit', access: 'admin', query: ListQuery,
    summary: 'The audit log, newest first (admin): configuration, permission and key changes and sign-ins.',
    handler: async ({ ctx, query }) => listAudit({ ctx, input: query }),
  });
  r({
    method: 'GET', url: '/api/v1/audit/verify', tag: 'audit', access: 'admin', query: VerifyQuery,
    summary: 'Check the audit hash chain (admin); returns the head to keep elsewhere and each problem with its position.',
    handler: async ({ ctx, query }) => {
      const result = await verifyAudit({ ctx, input: { expectHead: query.expectHead } });
      return { ...result, head: formatAuditHead({ seq: result.headSeq, hash: result.headHash }) };
    },
  });
}
