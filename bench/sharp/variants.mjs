// Usage: node variants.mjs PHOTO RUNS [webp]
// The default variant set (fit inside 2048, 1024, 320; never enlarged; upright; metadata stripped) as JPEG q82, and
// with "webp" also as WebP q82 at effort 2 (mediagate's settings), from the same photo, on UV_THREADPOOL_SIZE
// libuv/libvips threads (1 by default). Prints the median ms per photo.
import sharp from 'sharp';
import { readFileSync } from 'node:fs';

const [photo, runsText, extra] = process.argv.slice(2);
const runs = Number(runsText);
sharp.concurrency(Number(process.env.UV_THREADPOOL_SIZE || 1));
sharp.cache(false);
const input = readFileSync(photo);
const sizes = [2048, 1024, 320];

async function variants() {
  for (const size of sizes) {
    const resized = sharp(input).rotate().resize(size, size, { fit: 'inside', withoutEnlargement: true });
    if (extra === 'webp') {
      const pixels = await resized.raw().toBuffer({ resolveWithObject: true });
      const raw = { raw: pixels.info };
      await sharp(pixels.data, raw).jpeg({ quality: 82 }).toBuffer();
      await sharp(pixels.data, raw).webp({ quality: 82, effort: 2 }).toBuffer();
    } else {
      await resized.jpeg({ quality: 82 }).toBuffer();
    }
  }
}

await variants();
const times = [];
for (let i = 0; i < runs; i++) {
  const start = process.hrtime.bigint();
  await variants();
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
times.sort((a, b) => a - b);
console.log(times[Math.floor(times.length / 2)].toFixed(1));
