// Share card PNG render time, in one process: cold (fonts read and parsed, first satori and resvg run), then
// drawing new cards (nothing cached), then answering from the content-hash cache.
// Usage: npm run bench:share-card   (BENCH_RENDERS sets how many cards each warm round draws; default 20)
import { performance } from 'node:perf_hooks';
import { tsImport } from 'tsx/esm/api';
import { median } from './lib.mjs';

const RENDERS = Number(process.env.BENCH_RENDERS ?? 20);
const { buildShareCard } = await tsImport('../src/server/features/sharing/card.ts', import.meta.url);
const { CardImages } = await tsImport('../src/server/features/sharing/renderer.ts', import.meta.url);

const names = ['Frodo', 'Sam 🌱', 'Merry', 'Pippin', 'Гэндальф', 'Aragorn', 'Λεγόλας'];
/** The card of draft number `n`: the title differs, so each is a new image. */
function cardOf(n) {
  return buildShareCard({
    draft: { id: `0190f1c2-0000-7000-8000-${String(n).padStart(12, '0')}`, title: `Thread ${n}: how we ship 🚀 together, week by week`, platform: 'x', status: 'draft', segmentCount: 12 },
    members: names.map((displayName, i) => ({ userId: `0190f1c2-0000-7000-9000-${String(i).padStart(12, '0')}`, displayName, role: i === 0 ? 'owner' : 'collaborator' })),
    ring: { count: 9, first: new Date('2026-03-01T00:00:00Z'), last: new Date('2026-03-01T08:00:00Z'), inLast24h: 9 },
    now: new Date('2026-03-01T09:00:00Z'),
    publicUrl: 'http://localhost',
  });
}

const images = new CardImages();
const timed = async (n) => {
  const { image, hash } = cardOf(n);
  const start = performance.now();
  const png = await images.png(hash, image);
  return { ms: performance.now() - start, bytes: png.length };
};

const cold = await timed(0);
const drawn = [];
for (let n = 1; n <= RENDERS; n++) drawn.push(await timed(n));
const cached = [];
for (let round = 0; round < 5; round++) for (let n = 1; n <= RENDERS; n++) cached.push(await timed(n));

const fmt = (ms) => ms.toFixed(ms < 1 ? 3 : 1).padStart(9);
console.log('share card PNG (1200×630)'.padEnd(34), 'p50 ms'.padStart(9), 'max ms'.padStart(9), 'renders'.padStart(8));
console.log('cold (fonts + first render)'.padEnd(34), fmt(cold.ms), fmt(cold.ms), '1'.padStart(8));
console.log('new card, warm process'.padEnd(34), fmt(median(drawn.map((d) => d.ms))), fmt(Math.max(...drawn.map((d) => d.ms))), String(drawn.length).padStart(8));
console.log('cached (same content hash)'.padEnd(34), fmt(median(cached.map((d) => d.ms))), fmt(Math.max(...cached.map((d) => d.ms))), String(cached.length).padStart(8));
console.log(`PNG size: ${Math.round(median(drawn.map((d) => d.bytes)) / 1024)} KiB (median)`);
