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
    ['alertname:CPU', 3, 'CPU on web-1', 'CPU'],
    ['alert:k', 5, 'one alert', 'one alert'],
    ['sender:opaque', 2, 'Checkout down', 'Checkout down (and more alerts)'],
    ['alertname:' + 'n'.repeat(300), 2, 's', `${'n'.repeat(199)}…`],
  ])('groupTitle(%j, %d)', (key, count, first, title) => {
    expect(groupTitle(key, count, first)).toBe(title);
  });

  it('retitles once, when the second alert joins, and never again as the count moves', () => {
    expect(retitle('Checkout down', 'sender:opaque', 2)).toBe('Checkout down (and more alerts)');
    expect(retitle('Checkout down (and more alerts)', 'sender:opaque', 3)).toBe('Checkout down (and more alerts)');
    expect(retitle('CPU on web-1', 'alertname:CPU', 2)).toBe('CPU');
    expect(retitle('CPU', 'alertname:CPU', 3)).toBe('CPU');
    expect(retitle('CPU', 'alertname:CPU', 1)).toBe('CPU');
    const long = 's'.repeat(300);
    const cut = retitle(long, 'sender:opaque', 2);
    expect(cut).toHaveLength(200);
    expect(retitle(cut, 'sender:opaque', 5)).toBe(cut);
  });
});
