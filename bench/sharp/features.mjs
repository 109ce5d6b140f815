// Usage: node features.mjs PHOTO GIF RUNS
// What sharp has of mediagate's image features, timed as bench/run features times mediagate's: a 256x256 cover avatar
// (JPEG q82) cut at the centre and by libvips' attention finder (sharp.strategy.attention); an animated GIF made into
// animated WebP (q82, effort 2) in the default boxes (fit inside 2048, 1024, 320, never enlarged). Prints one line per
// measurement: "name median-ms [bytes]". sharp has no ThumbHash.
import sharp from 'sharp';
import { readFileSync } from 'node:fs';

const [photoPath, gifPath, runsText] = process.argv.slice(2);
const runs = Number(runsText);
sharp.concurrency(Number(process.env.UV_THREADPOOL_SIZE || 1));
sharp.cache(false);
const photo = readFileSync(photoPath);
const gif = readFileSync(gifPath);

async function median(task) {
  await task();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await task();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const avatar = (position) => sharp(photo).rotate().resize(256, 256, { fit: 'cover', position }).jpeg({ quality: 82 }).toBuffer();
console.log(`sharp-avatar-centre ${(await median(() => avatar('centre'))).toFixed(1)}`);
console.log(`sharp-avatar-attention ${(await median(() => avatar(sharp.strategy.attention))).toFixed(1)}`);

let largest = 0;
const animated = async () => {
  for (const size of [2048, 1024, 320]) {
    const out = await sharp(gif, { animated: true }).resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82, effort: 2 }).toBuffer();
    if (size === 2048) largest = out.length;
  }
};
const ms = await median(animated);
console.log(`sharp-animated-webp-set ${ms.toFixed(1)} ${largest}`);
