import { describe, expect, it } from 'vitest';
import { groupName, groupTitle, retitle } from './group-title.js';

describe('group titles', () => {
  it.each<[string, string | null]>([
    ['sender:{}/{team="payments"}:{alertname="HighLatency", job="api"}', 'HighLatency (job=api)'],
    ['sender:{}:{alertname="Disk \\"full\\""}', 'Disk "full"'],
    ['sender:{}:{}', null],
    ['sender:opaque-key', null],
    ['labels:service="api",env="prod"', 'service=api, env=prod'],
    ['labels:alertname="Down",service=""', 'Down'],
    ['alertname:CPU High', 'CPU High'],
    ['alert:abc', null],
    [`sender:{}:{alertname="x"}${'y'.repeat(10)}…sha256:abcd`, null],
  ])('groupName(%j) = %j', (key, name) => {
    expect(groupName(key)).toBe(name);
  });

  it.each<[string, number, string, string]>([
    ['alertname:CPU', 1, 'CPU on web-1', 'CPU on web-1'],
    ['alertname:CPU', 3, 'CPU on web-1', 'CPU: 3 alerts'],
    ['alert:k', 5, 'one alert', 'one alert'],
    ['sender:opaque', 2, 'Checkout down', 'Checkout down (+1 more alerts)'],
    ['alertname:' + 'n'.repeat(300), 2, 's', `${'n'.repeat(199)}…`],
  ])('groupTitle(%j, %d)', (key, count, first, title) => {
    expect(groupTitle(key, count, first)).toBe(title);
  });

  it('retitles from the previous title, keeping the first summary of a nameless group', () => {
    expect(retitle('Checkout down (+1 more alerts)', 'sender:opaque', 3)).toBe('Checkout down (+2 more alerts)');
    expect(retitle('Checkout down', 'sender:opaque', 2)).toBe('Checkout down (+1 more alerts)');
    expect(retitle('CPU: 2 alerts', 'alertname:CPU', 3)).toBe('CPU: 3 alerts');
  });
});
