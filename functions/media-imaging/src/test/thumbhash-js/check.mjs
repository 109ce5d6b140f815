// The reference ThumbHash library's view of hashes the resizer made: reads a JSON list of
// {name, hash, width?, height?, rgba?} (base64) from the file named first, writes to the file named second, per item,
// the picture its decoder makes of the hash and, where pixels are given, the hash its encoder makes of them.
import { readFileSync, writeFileSync } from 'node:fs'
import { rgbaToThumbHash, thumbHashToRGBA, thumbHashToAverageRGBA } from 'thumbhash'

const items = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const out = items.map((item) => {
  const hash = Buffer.from(item.hash, 'base64')
  const decoded = thumbHashToRGBA(hash)
  const average = thumbHashToAverageRGBA(hash)
  const result = {
    name: item.name,
    width: decoded.w,
    height: decoded.h,
    rgba: Buffer.from(decoded.rgba).toString('base64'),
    average: [average.r, average.g, average.b, average.a],
  }
  if (item.rgba) {
    result.referenceHash = Buffer.from(rgbaToThumbHash(item.width, item.height, Buffer.from(item.rgba, 'base64'))).toString('base64')
  }
  return result
})
writeFileSync(process.argv[3], JSON.stringify(out))
