import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, formatConfigProblem, loadConfigFile, parseConfigText, parseDurationSeconds, type ConfigProblem } from './config-file.js';

function problems(text: string): ConfigProblem[] {
  const result = parseConfigText(text, 'firebreak.yaml');
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

const lines = (text: string) => problems(text).map(formatConfigProblem);

describe('firebreak.yaml parsing', () => {
  it('accepts an empty file and fills defaults', () => {
    const result = parseConfigText('', 'x.yaml');
    expect(result.ok && result.loaded.config).toEqual({ teams: [], users: [], services: [], checklists: [], escalationPolicies: [], integrations: [], routes: [], updateTemplates: [], statusPages: [], postmortemTemplates: [], reports: [], incidentRoles: [] });
  });

  it('accepts the shipped example', () => {
    const result = parseConfigText(readFileSync(new URL('../../examples/firebreak.yaml', import.meta.url), 'utf8'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.loaded.config.severities?.map((s) => [s.key, s.ackTarget])).toEqual([['P1', 300], ['P2', 900], ['P3', 3600], ['P4', 86400]]);
  });

  it('checks postmortemTemplates: an unknown variable at its line and column, built-in slugs reserved', () => {
    const text = [
      'postmortemTemplates:',
      '  - slug: blameless',
      '    name: Mine',
      '    body: "# {{ title }}"',
      '  - slug: light',
      '    name: Light',
      '    body: "# {{ title }}\\n\\n{{ draft.rootCause }}"',
    ].join('\n');
    const found = problems(text);
    expect(found.map((p) => [p.path, p.line])).toEqual([['postmortemTemplates.0.slug', 2], ['postmortemTemplates.1.body', 7]]);
    expect(found[1]!.message).toBe('template error at line 3, column 4: undefined variable: draft.rootCause');
    expect(parseConfigText('postmortemTemplates:\n  - { slug: light, name: Light, body: "# {{ title }}" }\n', 'x.yaml').ok).toBe(true);
  });

  it('locates every structural problem at once, in file order', () => {
    const text = [
      'teams:', //                         1
      '  - slug: Platform', //             2
      '    name: Platform', //             3
      '    membrs: []', //                 4
      'users:', //                         5
      '  - email: not-an-email', //        6
      '    name: A', //                    7
      '    role: superuser', //            8
      '    timeZone: Mars/Olympus', //     9
      'services:', //                      10
      '  - name: API', //                  11
      'severities:', //                    12
      '  - key: P1', //                    13
      '    name: Critical', //             14
      '    ackTarget: 5 minutes', //       15
      'sevrities: []', //                  16
    ].join('\n');
    expect(lines(text)).toEqual([
      "firebreak.yaml:2:11 teams.0.slug: use lower-case letters, digits and - (starting with a letter or digit)",
      "firebreak.yaml:4:5 teams.0.membrs: unknown key; did you mean 'members'?",
      'firebreak.yaml:6:12 users.0.email: is not an email address',
      'firebreak.yaml:8:11 users.0.role: Invalid option: expected one of "admin"|"responder"|"viewer"',
      'firebreak.yaml:9:15 users.0.timeZone: is not a known IANA time zone (e.g. Europe/Berlin, UTC)',
      'firebreak.yaml:11:5 services.0.slug: is required',
      "firebreak.yaml:15:16 severities.0.ackTarget: '5 minutes' is not a duration; write e.g. 0 (immediately), 30s, 5m, 4h, 1d or 1h30m",
      "firebreak.yaml:16:1 sevrities: unknown key; did you mean 'severities'?",
    ]);
  });

  it('reports cross-reference problems: dangling team, undeclared member, duplicate slugs, unknown severity', () => {
    const text = [
      'users:',
      '  - { email: a@example.com, name: A }',
      '  - { email: A@example.com, name: A again }',
      'teams:',
      '  - slug: ops',
      '    name: Ops',
      '    members:',
      '      - user: a@example.com',
      '      - user: ghost@example.com',
      'services:',
      '  - { slug: api, name: API, team: opz }',
      '  - { slug: api, name: API 2 }',
      'severities:',
      '  - { key: P1, name: Critical, ackTarget: 1h, resolveTarget: 5m }',
      '  - { key: p1, name: Again }',
      'checklists:',
      '  - { slug: c, name: C, severities: [P9], items: [Open a bridge] }',
    ].join('\n');
    expect(lines(text)).toEqual([
      "firebreak.yaml:3:14 users.1.email: duplicate email 'a@example.com' (first declared at users.0)",
      "firebreak.yaml:9:15 teams.0.members.1.user: user 'ghost@example.com' is not declared under users:",
      "firebreak.yaml:11:35 services.0.team: team 'opz' is not declared under teams:",
      "firebreak.yaml:12:13 services.1.slug: duplicate slug 'api' (first declared at services.0)",
      'firebreak.yaml:14:62 severities.0.resolveTarget: is shorter than ackTarget',
      "firebreak.yaml:15:12 severities.1.key: duplicate key 'p1' (first declared at severities.0)",
      "firebreak.yaml:17:38 checklists.0.severities.0: severity 'P9' is not in the severities: section (P1, p1)",
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    const found = problems('teams: []\nteams: []\n');
    expect(found[0]).toMatchObject({ line: 2, col: 1, message: 'Map keys must be unique' });
    expect(problems('users:\n  - [email\n')[0]?.line).toBeGreaterThan(0);
    expect(lines('- just\n- a list\n')).toEqual(['firebreak.yaml:1:1: the file must be a mapping of sections (teams:, users:, services:, severities:, checklists:)']);
  });

  it('points at the key when a value is empty', () => {
    expect(lines('teams:\n  - slug: ops\n    name:\n')).toEqual(['firebreak.yaml:3:5 teams.0.name: is empty; give a value']);
  });

  it('throws ConfigFileError listing every problem when loading a file', () => {
    try {
      loadConfigFile('/nonexistent/firebreak.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigFileError);
      expect((e as ConfigFileError).problems).toEqual(['/nonexistent/firebreak.yaml: cannot read the file (ENOENT)']);
    }
  });
});

describe('durations', () => {
  it.each([
    ['30s', 30], ['5m', 300], ['4h', 14400], ['1d', 86400], ['1h30m', 5400], ['90', 90],
    ['5 minutes', null], ['0m', null], ['-5m', null], ['5M', null], ['', null],
  ])('%s → %s', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });
});
