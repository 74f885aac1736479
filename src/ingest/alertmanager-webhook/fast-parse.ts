import { isOptionalString, isPlainObject, readOptionalGoTime, readStringMap } from '../fast-read.js';
import type { AlertmanagerWebhookPayload, AmAlert } from './schema.js';

/**
 * A hand-written reader for the common, well-formed v4 webhook payload: the same result as
 * `alertmanagerWebhookSchema` without zod's cost per alert. `undefined` for anything unusual:
 * the caller then runs the schema, which accepts it too or names what is wrong.
 */
export function readAlertmanagerWebhook(body: unknown): AlertmanagerWebhookPayload | undefined {
  if (!isPlainObject(body) || body.version !== '4' || !isStatus(body.status) || !Array.isArray(body.alerts)) return undefined;
  const receiver = body.receiver === undefined ? '' : body.receiver;
  const truncatedAlerts = body.truncatedAlerts === undefined ? 0 : body.truncatedAlerts;
  if (typeof receiver !== 'string' || typeof truncatedAlerts !== 'number' || !Number.isSafeInteger(truncatedAlerts) || truncatedAlerts < 0) return undefined;
  const groupLabels = readStringMap(body.groupLabels);
  const commonLabels = readStringMap(body.commonLabels);
  const commonAnnotations = readStringMap(body.commonAnnotations);
  const routeLabels = body.routeLabels === undefined ? undefined : readStringMap(body.routeLabels);
  if (groupLabels === undefined || commonLabels === undefined || commonAnnotations === undefined || (body.routeLabels !== undefined && routeLabels === undefined)) return undefined;
  if (!isOptionalString(body.externalURL) || !isOptionalString(body.groupKey) || !isOptionalString(body.notification_reason)) return undefined;
  const alerts: AmAlert[] = [];
  for (const raw of body.alerts as unknown[]) {
    const alert = readAmAlert(raw);
    if (alert === undefined) return undefined;
    alerts.push(alert);
  }
  return {
    ...body, version: '4', receiver, status: body.status, alerts, groupLabels, commonLabels, commonAnnotations, routeLabels,
    externalURL: body.externalURL, groupKey: body.groupKey, truncatedAlerts, notification_reason: body.notification_reason,
  };
}

function readAmAlert(raw: unknown): AmAlert | undefined {
  if (!isPlainObject(raw) || !isStatus(raw.status)) return undefined;
  const labels = readStringMap(raw.labels);
  const annotations = readStringMap(raw.annotations);
  const startsAt = readOptionalGoTime(raw.startsAt);
  const endsAt = readOptionalGoTime(raw.endsAt);
  if (labels === undefined || annotations === undefined || startsAt === false || endsAt === false) return undefined;
  if (!isOptionalString(raw.generatorURL) || !isOptionalString(raw.fingerprint)) return undefined;
  return { ...raw, status: raw.status, labels, annotations, startsAt, endsAt, generatorURL: raw.generatorURL, fingerprint: raw.fingerprint };
}

const isStatus = (value: unknown): value is 'firing' | 'resolved' => value === 'firing' || value === 'resolved';
