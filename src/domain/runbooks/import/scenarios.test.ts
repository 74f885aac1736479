import { describe, expect, it } from 'vitest';
import { importRunbookDocument } from './document.js';
import { scenarioTitle } from './scenarios.js';

describe('scenarioTitle', () => {
  it.each([
    ['Runbook: Disk Full', { title: 'Disk Full', explicit: true }],
    ['Scenario 3: Broker Loss', { title: 'Broker Loss', explicit: true }],
    ['Scenario 12 - Replica Lag', { title: 'Replica Lag', explicit: true }],
    ['Playbook — Cache Stampede', { title: 'Cache Stampede', explicit: true }],
    ['2. Broker Loss', { title: 'Broker Loss', explicit: false }],
    ['Broker Loss', { title: 'Broker Loss', explicit: false }],
    ['Runbooks', { title: 'Runbooks', explicit: false }],
  ])('%s', (heading, expected) => {
    expect(scenarioTitle(heading)).toEqual(expected);
  });
});

const PHASED = '## Storage Issues\n\n### Symptoms\n- disk full\n\n### Investigation (0-5 min)\n```bash\ndf -h\n```\n\n### Mitigation\n```bash\nrm -rf /var/tmp/cache\n```\n\n### Recovery\n- restart the service\n';

describe('which sections become runbooks', () => {
  const slugsOf = (markdown: string) => importRunbookDocument(`# Doc\n\n${markdown}`, { sourceName: 't.md', now: 0 }).runbooks.map((r) => `${r.slug}:${r.phases.length}`);
  it.each([
    ['a container word with phase sub-headings is ONE runbook', PHASED, ['storage-issues:4']],
    ['a container of scenarios is many', '## Common Issues\n\n### Disk Full\n```bash\ndf -h\n```\n\n### Memory Leak\n```bash\nfree -m\n```\n', ['disk-full:1', 'memory-leak:1']],
    ['"Runbook:" with only bullets is a runbook', '## Runbook: Cert Expiry\n\n- renew the certificate\n- reload the proxy\n', ['cert-expiry:1']],
    ['"Scenario N:" without symptoms', '## Scenario 2: Queue Backlog\n\n1. Scale consumers\n2. Watch the lag\n', ['queue-backlog:2']],
    ['plain title with code inside bullets', '## Queue Backlog\n\n- Scale the consumers:\n  ```bash\n  kubectl scale deploy/consumer --replicas=8\n  ```\n', ['queue-backlog:1']],
    ['plain title with an inline command bullet', '## Queue Backlog\n\n- Command: `kubectl get pods -n q`\n', ['queue-backlog:1']],
    ['prose only is not a runbook', '## Background\n\nThe queue was built in 2019.\n', []],
  ])('%s', (_name, markdown, expected) => {
    expect(slugsOf(markdown)).toEqual(expected);
  });
});
