/** Providers whose posts and videos we render as our own cards (ld-embed), never as raw iframes. */
export const EMBED_PROVIDERS = ['youtube', 'vimeo', 'x', 'instagram', 'facebook', 'tiktok', 'telegram'] as const;
export type EmbedProvider = (typeof EMBED_PROVIDERS)[number];
export interface EmbedRef {
  provider: EmbedProvider;
  id: string;
}

export function isEmbedProvider(value: string): value is EmbedProvider {
  return (EMBED_PROVIDERS as readonly string[]).includes(value);
}

const YT_ID = /^[A-Za-z0-9_-]{11}$/;
const NUM = /^\d{1,25}$/;
const SLUG = /^[A-Za-z0-9_-]{1,64}$/;

function host(url: URL): string {
  return url.hostname.toLowerCase().replace(/^(www|m|mobile)\./, '');
}

function seg(url: URL): string[] {
  return url.pathname.split('/').filter(Boolean);
}

type Matcher = (url: URL, parts: string[]) => string | null;

const MATCHERS: Record<EmbedProvider, { hosts: string[]; match: Matcher }> = {
  youtube: {
    hosts: ['youtube.com', 'youtu.be', 'youtube-nocookie.com', 'music.youtube.com'],
    match: (url, p) => {
      if (host(url) === 'youtu.be') return p[0] ?? null;
      if (p[0] === 'watch') return url.searchParams.get('v');
      if (['embed', 'shorts', 'live', 'v'].includes(p[0] ?? '')) return p[1] ?? null;
      return null;
    },
  },
  vimeo: {
    hosts: ['vimeo.com', 'player.vimeo.com'],
    match: (_url, p) => {
      const id = p[0] === 'video' ? p[1] : [...p].reverse().find((s) => NUM.test(s));
      return id && NUM.test(id) ? id : null;
    },
  },
  x: {
    hosts: ['x.com', 'twitter.com'],
    // https://x.com/<user>/status/<id>
    match: (_url, p) => (p[1] === 'status' || p[1] === 'statuses' ? (p[2] ?? null) : null),
  },
  instagram: {
    hosts: ['instagram.com'],
    match: (_url, p) => {
      const i = p.findIndex((s) => s === 'p' || s === 'reel' || s === 'tv');
      return i >= 0 ? (p[i + 1] ?? null) : null;
    },
  },
  facebook: {
    hosts: ['facebook.com', 'fb.watch'],
    match: (url, p) => {
      if (host(url) === 'fb.watch') return p[0] ?? null;
      if (p[0] === 'watch') return url.searchParams.get('v');
      const i = p.findIndex((s) => s === 'posts' || s === 'videos');
      if (i >= 0) return p[i + 1] ?? null;
      if (p[0] === 'permalink.php' || p[0] === 'story.php') return url.searchParams.get('story_fbid');
      return null;
    },
  },
  tiktok: {
    hosts: ['tiktok.com'],
    // https://www.tiktok.com/@user/video/<id>
    match: (_url, p) => (p[0]?.startsWith('@') && p[1] === 'video' ? (p[2] ?? null) : null),
  },
  telegram: {
    hosts: ['t.me', 'telegram.me'],
    // https://t.me/<channel>/<post> → "channel/post"
    match: (_url, p) => (p.length >= 2 && p[0] !== 's' && SLUG.test(p[0]!) && NUM.test(p[1]!) ? `${p[0]}/${p[1]}` : p[0] === 's' && p.length >= 3 && NUM.test(p[2]!) ? `${p[1]}/${p[2]}` : null),
  },
};

const ID_SHAPE: Record<EmbedProvider, RegExp> = {
  youtube: YT_ID,
  vimeo: NUM,
  x: NUM,
  instagram: /^[A-Za-z0-9_-]{5,64}$/,
  facebook: /^[A-Za-z0-9_.-]{1,64}$/,
  tiktok: NUM,
  telegram: /^[A-Za-z0-9_]{1,64}\/\d{1,25}$/,
};

/** Recognises a video or social post URL; null for anything else (including non-https schemes). */
export function parseEmbedUrl(input: string): EmbedRef | null {
  if (typeof input !== 'string') return null;
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  const h = host(url);
  for (const provider of EMBED_PROVIDERS) {
    const { hosts, match } = MATCHERS[provider];
    if (!hosts.includes(h)) continue;
    const id = match(url, seg(url));
    return id && ID_SHAPE[provider].test(id) ? { provider, id } : null;
  }
  return null;
}

/** The canonical public URL of an embed, rebuilt from provider and id (never the pasted string). */
export function canonicalEmbedUrl(ref: EmbedRef): string {
  const id = encodeURI(ref.id);
  switch (ref.provider) {
    case 'youtube': return `https://www.youtube.com/watch?v=${id}`;
    case 'vimeo': return `https://vimeo.com/${id}`;
    case 'x': return `https://x.com/i/status/${id}`;
    case 'instagram': return `https://www.instagram.com/p/${id}/`;
    case 'facebook': return `https://www.facebook.com/watch/?v=${id}`;
    case 'tiktok': return `https://www.tiktok.com/embed/v2/${id}`;
    case 'telegram': return `https://t.me/${id}`;
  }
}
