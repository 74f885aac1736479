import { describe, expect, it } from 'vitest';
import { inlineCommandOf, looksLikeShell } from './commands.js';

describe('inlineCommandOf: commands written in list items', () => {
  it.each([
    ['Command: `kubectl rollout undo deployment/api -n shop`', { command: 'kubectl rollout undo deployment/api -n shop', description: '' }],
    ['**Command**: `systemctl status nginx`', { command: 'systemctl status nginx', description: '' }],
    ['Run `redis-cli info replication`', { command: 'redis-cli info replication', description: '' }],
    ['`kubectl get pods -n shop`', { command: 'kubectl get pods -n shop', description: '' }],
    ['Roll back: `helm rollback api 41`', { command: 'helm rollback api 41', description: 'Roll back' }],
    ['Dump the records: `rndc dumpdb -cache`', { command: 'rndc dumpdb -cache', description: 'Dump the records' }],
    ['Check the pods `kubectl get pods`', { command: 'kubectl get pods', description: 'Check the pods' }],
  ])('%s', (text, expected) => {
    expect(inlineCommandOf(text)).toEqual(expected);
  });

  it.each([
    '`HighLatency` alert firing',
    'No new `ShopErrors` alerts',
    'Cluster health is `green`',
    'Set `max_connections` higher',
    'Command: `kubectl',
    'Restart the service',
    'Command: `x`',
  ])('not a command: %s', (text) => {
    expect(inlineCommandOf(text)).toBeUndefined();
  });
});

describe('looksLikeShell', () => {
  it.each([
    ['kubectl get pods', true],
    ['# comment\nsudo systemctl restart x', true],
    ['$ echo hi', true],
    ['./scripts/failover.sh', true],
    ['pg_ctl promote -D /data', true],
    ['kafka-topics.sh --list', true],
    ['Dear customers,\nwe are investigating', false],
    ['[P1] Incident started', false],
  ])('%j → %s', (text, expected) => {
    expect(looksLikeShell(text)).toBe(expected);
  });
});
