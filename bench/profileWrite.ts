// Profiles the mutation write path (issue 21): 20 000 booth-like leads through
// `store.write`, as the benchmark's insert figure, under V8's sampling profiler; prints
// the functions with the most self time. Run with `npx tsx bench/profileWrite.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { openStore } from '../src-main/store/open.js';
import { sampleLeads } from './run.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (file:line), largest first. */
export function topFrames(
  profile: Profile,
  count = 15,
): { frame: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    if (!node) return;
    const f = node.callFrame;
    const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : '(native)';
    const key = `${f.functionName || '(anonymous)'} ${where}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, ms]) => ({
      frame,
      ms: Math.round(ms),
      share: Math.round((ms / total) * 1000) / 10,
    }));
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbook-profile-'));
  const store = await openStore(path.join(dir, 'p.db'));
  const rows = sampleLeads(20_000);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const t0 = performance.now();
  store.write((tx) => {
    for (const r of rows) tx.insert('leads', r);
  });
  const ms = performance.now() - t0;
  const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    `${rows.length} rows in ${Math.round(ms)} ms (${Math.round((ms * 1000) / rows.length)} µs/row)`,
  );
  for (const f of topFrames(profile))
    console.log(`${String(f.share).padStart(5)} %  ${String(f.ms).padStart(5)} ms  ${f.frame}`);
}
