import { describe, expect, it } from 'vitest';
import { destructiveReason } from './destructive.js';
import { warningIn } from './shell.js';

describe('destructiveReason: recognised by what the command does', () => {
  it.each([
    ['iptables -F', 'flushes or rewrites firewall rules'],
    ['sudo iptables -t nat -F', 'flushes or rewrites firewall rules'],
    ['iptables --flush INPUT', 'flushes or rewrites firewall rules'],
    ['iptables -P INPUT DROP', 'flushes or rewrites firewall rules'],
    ['iptables -A INPUT -s 10.0.0.0/8 -j DROP', 'flushes or rewrites firewall rules'],
    ['nft flush ruleset', 'flushes or rewrites firewall rules'],
    ['find /var/log/app -name "*.log" -mtime +3 -delete', 'deletes files'],
    ['find /tmp -type f -exec rm {} \\;', 'deletes files'],
    ['rm -rf /var/lib/ledger/tmp/*', 'deletes files'],
    ['sudo rm -f /run/app.pid', 'deletes files'],
    ['rm --recursive old-snapshots', 'deletes files'],
    ['ls *.tmp | xargs rm', 'deletes files'],
    ['crontab -r', 'deletes files'],
    ['docker system prune -a', 'removes containers, images or volumes'],
    ['docker volume prune -f', 'removes containers, images or volumes'],
    ['docker rm -f broker-1', 'removes containers, images or volumes'],
    ['docker compose down -v', 'removes containers, images or volumes'],
    ['truncate -s 0 /var/log/app.log', 'empties a file'],
    ['truncate --size=0 big.log', 'empties a file'],
    [': > /var/log/app/error.log', 'empties a file'],
    ['redis-cli --scan --pattern "session:*" | xargs redis-cli del', 'deletes cache keys'],
    ['redis-cli -n 2 DEL stale:key', 'deletes cache keys'],
    ['redis-cli FLUSHALL', 'deletes cache keys'],
    ['FLUSHDB', 'deletes cache keys'],
    ['DROP TABLE audit_old;', 'deletes data'],
    ['drop database ledger_staging;', 'deletes data'],
    ['DELETE FROM sessions;', 'deletes data'],
    ['DELETE FROM sessions WHERE expires_at < now();', 'deletes data'],
    ['TRUNCATE TABLE events CASCADE;', 'deletes data'],
    ['dropdb ledger_copy', 'deletes data'],
    ['db.sessions.deleteMany({})', 'deletes data'],
    ['curl -X DELETE http://es:9200/logs-2024.01.01', 'deletes data'],
    ['curl -XPOST http://es:9200/logs/_delete_by_query -d @q.json', 'deletes data'],
    ['etcdctl del --prefix /registry/events', 'deletes data'],
    ['UPDATE accounts SET frozen = true;', 'changes every row'],
    ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = \'idle\';', 'terminates database sessions'],
    ['redis-cli CLIENT KILL TYPE normal', 'terminates database sessions'],
    ['pg_ctl promote -D /var/lib/postgresql/data', 'promotes a replica (split-brain risk)'],
    ['sudo -u postgres pg_ctl -D /data promote', 'promotes a replica (split-brain risk)'],
    ['SELECT pg_promote();', 'promotes a replica (split-brain risk)'],
    ['patronictl -c /etc/patroni.yml failover', 'promotes a replica (split-brain risk)'],
    ['redis-cli REPLICAOF NO ONE', 'promotes a replica (split-brain risk)'],
    ['etcd --force-new-cluster', 'promotes a replica (split-brain risk)'],
    ['kubectl delete pod broker-2 -n queue', 'deletes Kubernetes resources'],
    ['kubectl -n queue delete pvc data-broker-2', 'deletes Kubernetes resources'],
    [`kubectl patch deploy api --type=json -p='[{"op": "remove", "path": "/spec/template/spec/containers/0/env/3"}]'`, 'removes fields from a Kubernetes resource'],
    ['kubectl drain node-7 --ignore-daemonsets --delete-emptydir-data', 'evicts every pod from a node'],
    ['kubectl taint nodes node-7 dedicated=x:NoExecute', 'evicts every pod from a node'],
    ['kubectl scale deploy/api --replicas=0', 'scales the service to zero'],
    ['systemctl stop postgresql', 'stops or disables a service'],
    ['sudo systemctl disable --now nginx', 'stops or disables a service'],
    ['service haproxy stop', 'stops or disables a service'],
    ['nodetool decommission', 'stops or disables a service'],
    ['sudo reboot', 'stops a machine'],
    ['shutdown -h now', 'stops a machine'],
    ['dd if=/dev/zero of=/dev/sdb bs=1M', 'rewrites a disk or file system'],
    ['mkfs.ext4 /dev/nvme1n1', 'rewrites a disk or file system'],
    ['wipefs -a /dev/sdc', 'rewrites a disk or file system'],
    ['kill -9 4242', 'kills processes'],
    ['kill -s KILL 4242', 'kills processes'],
    ['pkill -f worker', 'kills processes'],
    ['killall java', 'kills processes'],
    ['helm uninstall broker -n queue', 'uninstalls or destroys infrastructure'],
    ['terraform destroy -target=module.cache', 'uninstalls or destroys infrastructure'],
    ['terraform apply -destroy', 'uninstalls or destroys infrastructure'],
    ['terraform state rm aws_instance.old', 'uninstalls or destroys infrastructure'],
    ['aws s3 rm s3://bucket/prefix --recursive', 'uninstalls or destroys infrastructure'],
    ['aws ec2 terminate-instances --instance-ids i-123', 'uninstalls or destroys infrastructure'],
    ['gcloud compute instances delete web-1 --zone europe-west1-b', 'uninstalls or destroys infrastructure'],
    ['kafka-topics.sh --bootstrap-server b:9092 --delete --topic orders', 'uninstalls or destroys infrastructure'],
    ['kafka-consumer-groups --bootstrap-server b:9092 --group g --reset-offsets --to-latest --topic t --execute', 'uninstalls or destroys infrastructure'],
    ['git push --force origin main', 'rewrites shared Git history'],
    ['git push -f', 'rewrites shared Git history'],
    ['git push origin +main', 'rewrites shared Git history'],
    ['git reset --hard HEAD~3', 'rewrites shared Git history'],
    ['ip link set eth0 down', 'takes a network interface down'],
    ['pg_resetwal -f /data', 'resets database state'],
    ['pg_restore -d ledger backup.dump', 'overwrites current data with a restore'],
    ['vault token revoke -mode=path auth/github', 'revokes credentials'],
    ['kubectl get pods \\\n  -n queue && kubectl delete \\\n  pod broker-0', 'deletes Kubernetes resources'],
  ])('%s → %s', (command, reason) => {
    expect(destructiveReason(command)).toBe(reason);
  });

  it.each([
    'kubectl get pods -n queue',
    'kubectl describe node node-7',
    'kubectl rollout status deploy/api',
    'kubectl rollout undo deployment/api',
    'kubectl logs -l app=delete-me --tail=50',
    `kubectl patch deploy api -p '{"spec":{"replicas":3}}'`,
    'kubectl cordon node-7',
    'kubectl scale deploy/api --replicas=10',
    'iptables -L -n -v',
    'iptables -S',
    'find /var/log -name "*.gz" -mtime +7',
    'ls -rf /tmp',
    'docker ps -a',
    'docker logs broker-1',
    'truncate -s 10G /srv/swapfile',
    'redis-cli --scan --pattern "session:*" | head',
    'redis-cli INFO replication',
    'SELECT count(*) FROM pg_stat_activity;',
    'SELECT * FROM orders WHERE deleted = false;',
    'UPDATE accounts SET frozen = true WHERE id = 42;',
    'systemctl status postgresql',
    'systemctl restart nginx',
    'journalctl -u kafka --since "10 min ago"',
    'pg_ctl status -D /data',
    'kill -0 4242',
    'kill -l',
    'helm list -A',
    'helm rollback api 41',
    'terraform plan',
    'aws s3 ls s3://bucket/',
    'aws ec2 describe-instances',
    'git push origin main',
    'git status',
    'curl -s http://localhost:9200/_cluster/health',
    'echo "checking"',
    'dig +short api.example.com',
    'Check for data loss',
    'grep -c ERROR /var/log/app.log',
  ])('not destructive: %s', (command) => {
    expect(destructiveReason(command)).toBeUndefined();
  });

  it('stays linear on a long pathological line', () => {
    const started = performance.now();
    destructiveReason('find '.repeat(100_000));
    destructiveReason('kubectl '.repeat(100_000) + 'get');
    destructiveReason('git push '.repeat(50_000));
    destructiveReason(`UPDATE t SET ${'a = 1, '.repeat(100_000)}`);
    expect(performance.now() - started).toBeLessThan(500);
    // Even when the rule's word is there, each start costs a bounded window.
    const worst = performance.now();
    expect(destructiveReason(`${'find '.repeat(100_000)}-delete`)).toBe('deletes files');
    expect(performance.now() - worst).toBeLessThan(1000);
  });
});

describe('warningIn: the document warns, rather than mentions', () => {
  it.each([
    ['⚠️ This restarts the primary', true],
    ['DANGER: irreversible', true],
    ['This will cause data loss for unreplicated writes', true],
    ['Risk of data loss if the replica is behind', true],
    ['Causes a short outage for writers', true],
    ['This step cannot be undone', true],
    ['Check for data loss', false],
    ['Verify no data loss occurred', false],
    ['Confirm there was no downtime for readers', false],
    ['P0 - Critical Incident Response', false],
  ])('%s → %s', (text, expected) => {
    expect(warningIn(text)).toBe(expected);
  });
});
