import type { FileView, LinkedFile } from "./types.js";

/** One `<source>` of a `<picture>`. */
export interface PictureSource {
  type: string;
  srcset: string;
  sizes?: string;
}

/** A `<picture>`'s parts: the sources the browser picks from by type, and the `<img>` (the fallback type). */
export interface Picture {
  sources: PictureSource[];
  img: { src: string; srcset: string; sizes?: string; width?: number; height?: number; alt: string };
}

export interface PictureOptions {
  /** The image's text alternative (its filename by default). */
  alt?: string;
  /** The `sizes` attribute, e.g. `(min-width: 800px) 50vw, 100vw`. */
  sizes?: string;
  /** The image's upright dimensions for the `<img>` (a file view's own by default; a `POST /links` entry has none). */
  width?: number;
  height?: number;
}

/** Newer formats first: the browser takes the first source whose type it knows. */
const PREFERENCE = ["image/avif", "image/webp"];

/**
 * The `<picture>` of a ready image: one `<source>` per extra format (AVIF, WebP) and an `<img>` in the variants' own
 * type, each with every width the file has (a file view's `srcset`, or a `POST /links` entry's variants). `null` when
 * there is nothing to show (not ready, or not an image).
 */
export function picture(view: FileView | LinkedFile, options: PictureOptions = {}): Picture | null {
  const sets = candidates(view);
  const fallback = Object.keys(sets).find((type) => !PREFERENCE.includes(type));
  if (!fallback) {
    return null;
  }
  const img = sets[fallback] as Candidate[];
  const sizes = options.sizes === undefined ? {} : { sizes: options.sizes };
  const sources = Object.entries(sets).filter(([type]) => type !== fallback)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([type, list]) => ({ type, srcset: srcset(list), ...sizes }));
  const width = options.width ?? ("width" in view ? view.width : undefined);
  const height = options.height ?? ("height" in view ? view.height : undefined);
  const dimensions = width && height ? { width, height } : {};
  return {
    sources,
    img: {
      src: (img.find((candidate) => candidate.width >= 640) ?? img[img.length - 1] as Candidate).url,
      srcset: srcset(img),
      ...sizes,
      ...dimensions,
      alt: options.alt ?? ("filename" in view ? view.filename : ""),
    },
  };
}

/** The same `<picture>` as HTML, every attribute escaped (for server-side rendering). */
export function pictureHtml(view: FileView | LinkedFile, options: PictureOptions & { loading?: "lazy" | "eager" } = {}): string {
  const parts = picture(view, options);
  if (!parts) {
    return "";
  }
  const attributes = (values: Record<string, string | number | undefined>) => Object.entries(values)
    .filter(([, value]) => value !== undefined).map(([name, value]) => ` ${name}="${escape(String(value))}"`).join("");
  const sources = parts.sources.map((source) => `<source${attributes({ type: source.type, srcset: source.srcset, sizes: source.sizes })}>`);
  const { img } = parts;
  return `<picture>${sources.join("")}<img${attributes({ src: img.src, srcset: img.srcset, sizes: img.sizes, width: img.width,
    height: img.height, alt: img.alt, loading: options.loading ?? "lazy", decoding: "async" })}></picture>`;
}

interface Candidate {
  url: string;
  width: number;
}

/** By type, the widths there are, ascending, one URL each. */
function candidates(view: FileView | LinkedFile): Record<string, Candidate[]> {
  const sets: Record<string, Candidate[]> = {};
  if ("srcset" in view && view.srcset) {
    for (const [type, list] of Object.entries(view.srcset)) {
      sets[type] = list.split(",").map((entry) => entry.trim()).filter(Boolean).map((entry) => {
        const space = entry.lastIndexOf(" ");
        return { url: entry.slice(0, space), width: Number.parseInt(entry.slice(space + 1), 10) };
      });
    }
  } else if (view.variants) {
    for (const variant of Object.values(view.variants)) {
      (sets[variant.contentType] ??= []).push({ url: variant.url, width: variant.width });
      const alternates = "alternates" in variant ? variant.alternates ?? {} : {};
      for (const [type, alternate] of Object.entries(alternates)) {
        (sets[type] ??= []).push({ url: alternate.url, width: variant.width });
      }
    }
  }
  for (const [type, list] of Object.entries(sets)) {
    const byWidth = new Map<number, Candidate>();
    list.filter((candidate) => candidate.width > 0).sort((a, b) => a.width - b.width)
      .forEach((candidate) => byWidth.has(candidate.width) || byWidth.set(candidate.width, candidate));
    if (byWidth.size) {
      sets[type] = [...byWidth.values()];
    } else {
      delete sets[type];
    }
  }
  return sets;
}

function srcset(list: Candidate[]): string {
  return list.map((candidate) => `${candidate.url} ${candidate.width}w`).join(", ");
}

function rank(type: string): number {
  const index = PREFERENCE.indexOf(type);
  return index === -1 ? PREFERENCE.length : index;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
