import { describe, expect, it } from 'vitest';
import { checkCommand, parseAllowRule, parseCommand } from './command-policy.js';

describe('parseCommand', () => {
  it.each([
    ['echo hello world', ['echo', 'hello', 'world']],
    [`echo 'a b' "c d"`, ['echo', 'a b', 'c d']],
    ['kubectl get pods \\\n  -n grey', ['kubectl', 'get', 'pods', '-n', 'grey']],
    [`echo "it's"`, ['echo', "it's"]],
    [`grep 'a|b;c' file`, ['grep', 'a|b;c', 'file']],
  ])('%s', (command, argv) => {
    expect(parseCommand(command)).toMatchObject({ ok: true, argv });
  });

  it.each([
    'echo hi; rm -rf /', 'ls | sh', 'echo $(id)', 'echo `id`', 'echo $HOME', 'cat < /etc/passwd', 'echo hi > x',
    'ls *', 'rm -rf ~', 'FOO=1 ls', 'echo "unclosed', 'echo hi && ls', 'echo a\nls', '(ls)', 'echo "$(id)"', '',
  ])('refuses %j', (command) => {
    expect(parseCommand(command).ok).toBe(false);
  });
});

describe('checkCommand', () => {
  const rules = [parseAllowRule('echo'), parseAllowRule('kubectl get'), parseAllowRule('regex:ls( -l)?')];
  it.each([
    ['echo hi', true],
    ['kubectl get pods -n x', true],
    ['kubectl getx', false],
    ['kubectl delete pod x', false],
    ['ls', true],
    ['ls -l', true],
    ['ls -la', false],
    ['echo hi; rm -rf /', false],
    ['/bin/echo hi', false],
  ])('%s → %s', (command, allowed) => {
    expect(checkCommand(command, rules).allowed).toBe(allowed);
  });

  it('an empty allow-list allows nothing', () => {
    expect(checkCommand('echo hi', [])).toMatchObject({ allowed: false, reason: expect.stringMatching(/empty/) });
  });
});
