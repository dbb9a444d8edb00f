import express, { Router } from 'express';
import { z } from 'zod';
import { Id } from '../../../shared/schemas/ids.js';
import type { MediaService } from '../../features/media/MediaService.js';
import { MediaLimits } from '../../features/media/mediaLimits.js';
import { requireAuth } from '../authenticate.js';
import { notFound } from '../../errors.js';

/** Uploads and the newsroom's full-size copies, under /api (signed in). */
export function mediaRoutes(deps: { media: MediaService }): Router {
  const router = Router();
  // The body is the image itself, whatever Content-Type it claims: the bytes decide.
  const rawBody = express.raw({ type: () => true, limit: MediaLimits.maxUploadBytes });

  router.post('/media', rawBody, async (req, res) => {
    const { account } = requireAuth(req);
    const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
    const { media, created } = await deps.media.upload(account, bytes, req.get('Idempotency-Key'));
    res.status(created ? 201 : 200).json(media);
  });

  router.get('/media/:mediaId', async (req, res) => {
    const { account } = requireAuth(req);
    // A malformed id names no photo: 404 like a missing one (the desk's <img> asks for what a document says).
    const parsed = Id.safeParse(req.params.mediaId);
    if (!parsed.success) throw notFound('Photo');
    const { bytes, type } = await deps.media.master(account, parsed.data);
    res.set({ 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, max-age=3600' }).send(Buffer.from(bytes));
  });
  return router;
}

const RenditionKey = z.string().regex(/^[A-Za-z0-9_-]{16,80}\.(jpg|webp)$/);

/** Readers' renditions at their unguessable URLs: no sign-in, immutable, usable from other sites. */
export function publicMediaRoutes(deps: { media: MediaService }): Router {
  const router = Router();
  router.get('/media/:key', async (req, res, next) => {
    const parsed = RenditionKey.safeParse(req.params.key);
    const found = parsed.success ? await deps.media.rendition(parsed.data) : null;
    if (!found) return next();
    res.set({
      'Content-Type': found.type,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    }).send(Buffer.from(found.bytes));
  });
  return router;
}
