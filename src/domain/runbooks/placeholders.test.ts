import { describe, expect, it } from 'vitest';
import { fillPlaceholders, findPlaceholders, isSecretName, maskSecretValues, SECRET_MASK, secretValuesIn } from './placeholders.js';

const raws = (text: string, context: 'command' | 'text' = 'command') => findPlaceholders(text, context).map((p) => p.raw);

describe('placeholders', () => {
  it('finds the four documented styles', () => {
    expect(raws('kubectl describe pod <pod-name> -n grey-system')).toEqual(['<pod-name>']);
    expect(raws('curl "http://x/v1/audit?node=$NODE_ID&since=1h"')).toEqual(['$NODE_ID']);
    expect(raws('echo ${NODE_ID}')).toEqual(['${NODE_ID}']);
    expect(raws('Complete incident postmortem by {date}', 'text')).toEqual(['{date}']);
    expect(raws('echo "RESOLVED: [incident title]"')).toEqual(['[incident title]']);
  });

  it('ignores shell syntax and other look-alikes found in real runbooks', () => {
    expect(raws('--reason="Isolation breach - $(date)" > logs-$(date +%s).txt')).toEqual([]);
    expect(raws('[[ "$quorum" == "true" ]] && break; echo $? $1 $$ $@')).toEqual([]);
    expect(raws("for i in {1..30}; do echo \"Attempt $i\"; done")).toEqual([]);
    expect(raws("awk '{print $1}' | jq '.[] | {leader: .leader}'")).toEqual([]);
    expect(raws("kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}'")).toEqual([]);
    expect(raws("SURVIVING=$(kubectl get pods)\necho $SURVIVING")).toEqual([]);
    expect(raws("echo $HOME $PATH")).toEqual([]);
    expect(raws("query=rate(http_requests_total[5m]) > 100")).toEqual([]);
    expect(raws('Subject: [RESOLVED] Incident - {Brief Description}', 'text')).toEqual(['{Brief Description}']);
    expect(raws('- [x] done and [link](http://x) and <script>alert(1)</script>', 'text')).toEqual([]);
  });

  it('fills from alert labels and incident fields and reports what is missing', () => {
    const result = fillPlaceholders('kubectl delete pod <pod-name> -n $NAMESPACE --node=<NODE_ID>', { pod: 'api-7f9', node: 'n3' }, 'command');
    expect(result.text).toBe('kubectl delete pod api-7f9 -n $NAMESPACE --node=n3');
    expect(result.filled).toEqual(['<pod-name>', '<NODE_ID>']);
    expect(result.missing).toEqual(['$NAMESPACE']);
  });

  it('refuses label values that would inject shell into a command', () => {
    const result = fillPlaceholders('kubectl logs <pod-name>', { pod_name: 'x; rm -rf /' }, 'command');
    expect(result.text).toBe('kubectl logs <pod-name>');
    expect(result.rejected).toEqual(['<pod-name>']);
    // Text (templates) may hold any value.
    expect(fillPlaceholders('Impact: {impact}', { impact: 'checkout; slow' }).text).toBe('Impact: checkout; slow');
  });
});

describe('secret values', () => {
  const names: [string, boolean][] = [
    ['STATUS_PAGE_TOKEN', true], ['api-key', true], ['DB_PASSWORD', true], ['SECRET', true], ['SMTP_PASS', true], ['CREDENTIALS', true],
    ['aws_secret_access_key', true], ['ssh passphrase', true], ['pod-name', false], ['TOKENIZER', false], ['monkey', false], ['NODE_ID', false], ['passenger', false],
  ];
  for (const [name, secret] of names) it(`${name} ${secret ? 'looks' : 'does not look'} secret`, () => expect(isSecretName(name)).toBe(secret));

  it('fills the real value for the runner and masks it in what people see', () => {
    const result = fillPlaceholders('curl -H "Authorization: Bearer $STATUS_PAGE_TOKEN" https://status/<page-id>', { status_page_token: 'sp_live_123', page: 'p9' }, 'command');
    expect(result.text).toBe('curl -H "Authorization: Bearer sp_live_123" https://status/p9');
    expect(result.shown).toBe(`curl -H "Authorization: Bearer ${SECRET_MASK}" https://status/p9`);
  });

  it('masks a value the responder marked secret, whatever its name', () => {
    const result = fillPlaceholders('deploy --signing <release-sig>', { release_sig: 'abc123' }, 'command', new Set(['release_sig']));
    expect(result.text).toBe('deploy --signing abc123');
    expect(result.shown).toBe(`deploy --signing ${SECRET_MASK}`);
  });

  it('masks secret values in free text, longest first', () => {
    const secrets = secretValuesIn({ api_token: 'tok-1234', tok: 'tok-1234-long', pod: 'api-1' }, new Set(['tok']));
    expect(maskSecretValues('sent tok-1234-long and tok-1234 to api-1', secrets)).toBe(`sent ${SECRET_MASK} and ${SECRET_MASK} to api-1`);
  });
});
