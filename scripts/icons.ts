// Draws AgentLedger's logo (public/logo.svg: an indigo rounded square with three rising bars) as PNGs and a
// favicon.ico without an image library, so the raster icons match the SVG: npx tsx scripts/icons.ts
import fs from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";

// The SVG's geometry on its 64×64 grid: [x, y, width, height, corner radius].
const background: Rect = [0, 0, 64, 64, 14];
const bars: Rect[] = [[14, 34, 9, 16, 2], [27.5, 24, 9, 26, 2], [41, 14, 9, 36, 2]];
const indigo = [0x4f, 0x46, 0xe5];
type Rect = [number, number, number, number, number];

function inside([x, y, w, h, r]: Rect, px: number, py: number): boolean {
  if (px < x || py < y || px > x + w || py > y + h) return false;
  const cx = Math.min(Math.max(px, x + r), x + w - r);
  const cy = Math.min(Math.max(py, y + r), y + h - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
}

/** RGBA pixels, 4×4 supersampled for smooth edges. */
function draw(size: number): Buffer {
  const out = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let cover = 0;
      let white = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const px = ((x + (sx + 0.5) / n) * 64) / size;
          const py = ((y + (sy + 0.5) / n) * 64) / size;
          if (!inside(background, px, py)) continue;
          cover++;
          if (bars.some((b) => inside(b, px, py))) white++;
        }
      }
      const i = (y * size + x) * 4;
      const t = cover ? white / cover : 0;
      for (let c = 0; c < 3; c++) out[i + c] = Math.round(indigo[c]! * (1 - t) + 255 * t);
      out[i + 3] = Math.round((cover / (n * n)) * 255);
    }
  }
  return out;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function png(size: number): Buffer {
  const rgba = draw(size);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

/** An ICO holding PNG images (supported by every current browser and Windows since Vista). */
export function ico(sizes: number[]): Buffer {
  const images = sizes.map(png);
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((size, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(images[i]!.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += images[i]!.length;
  });
  return Buffer.concat([header, ...images]);
}

if (process.argv[1]?.endsWith("icons.ts")) {
  const dir = path.join(process.cwd(), "public");
  fs.writeFileSync(path.join(dir, "favicon.ico"), ico([16, 32, 48]));
  for (const size of [180, 192, 512]) fs.writeFileSync(path.join(dir, size === 180 ? "apple-touch-icon.png" : `icon-${size}.png`), png(size));
  console.log("wrote public/favicon.ico, apple-touch-icon.png, icon-192.png, icon-512.png");
}
