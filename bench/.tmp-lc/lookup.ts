import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../store';

async function main() {
  const url = process.argv[2] ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'lc-')), 'd.db')}`;
  const store = await Store.open(url);
  const incident = await store.transaction((r) =>
    r.incidents.insert({
      namePrefix: 'b',
      title: 't',
      description: 'd',
      type: 'x',
      priority: 'High',
      visibility: 'open',
      reporterId: 'U0R',
      reportedAt: new Date(),
    }),
  );
  const channel = `C${Date.now()}`;
  await store.incidents.update(incident.id, { channelId: channel }, new Date());
  for (let i = 0; i < 200; i++) await store.participants.join(incident.id, `U0P${i}`, new Date());
  await store.participants.grantRole(incident.id, 'U0P0', 'commander', null, new Date());
  const time = async (label: string, fn: () => Promise<unknown>, n = 3000) => {
    for (let i = 0; i < 300; i++) await fn();
    const c = process.cpuUsage();
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    const cpu = process.cpuUsage(c);
    console.log(
      label.padEnd(22),
      (Number(process.hrtime.bigint() - t) / n / 1e6).toFixed(3),
      'ms wall',
      ((cpu.user + cpu.system) / 1000 / n).toFixed(3),
      'ms CPU',
    );
  };
  await time('findByChannel', () => store.incidents.findByChannel(channel));
  await time('refByChannel', () => store.incidents.refByChannel(channel));
  await time('participants.list', () => store.participants.list(incident.id), 500);
  console.log((await store.incidents.findByChannel(channel))?.rosterRevision);
  await store.close();
}
main();
