import { cut, type NotificationMessage } from '../message.js';

/**
 * The outgoing webhook body: Standard Webhooks' `{type, timestamp, data}` convention. Field
 * order is fixed so the body (and its signature) is byte-identical on every retry.
 */
export function renderWebhook(message: NotificationMessage): string {
  const i = message.incident;
  const type = message.followUp ? `followup.${message.followUp.kind}` : message.purpose === 'test' ? 'firebreak.test' : message.purpose === 'reminder' ? (message.reminderOf === 'postmortem' ? 'incident.postmortem_due' : 'incident.update_due') : message.purpose === 'update' ? 'incident.update_posted' : 'incident.triggered';
  return JSON.stringify({
    type,
    timestamp: new Date(message.at).toISOString(),
    data: {
      deliveryId: message.deliveryId,
      incident: i
        ? {
            id: i.id,
            number: i.number,
            title: i.title,
            summary: i.summary,
            severity: i.severity,
            status: i.status,
            service: i.service,
            declaredAt: new Date(i.declaredAt).toISOString(),
          }
        : null,
      recipient: message.recipient ? { id: message.recipient.id, name: message.recipient.name } : null,
      reason: message.reason,
      ...(message.update ? { update: { id: message.update.id, kind: message.update.kind, audience: message.update.audience, body: message.update.body } } : {}),
      links: {
        incident: message.links.incident ?? null,
        runbook: message.links.runbook ?? null,
        acknowledge: message.links.acknowledge ?? null,
        resolve: message.links.resolve ?? null,
      },
      ...(message.followUp ? { followUp: message.followUp } : {}),
      ...(message.alert
        ? {
            alert: {
              summary: message.alert.summary,
              description: message.alert.description === null ? null : cut(message.alert.description, 4000),
              count: message.alert.count,
              labels: Object.fromEntries(message.alert.labels),
              links: message.alert.links,
            },
          }
        : {}),
    },
  });
}
