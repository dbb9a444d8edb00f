import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { ErrorCode } from '../../shared/errors.js';
import type { AckResult, ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime/events.js';
import { toErrorBody } from '../edgeSupport/errorBody.js';
import type { Logger } from '../logger.js';
import type { SocketData } from './socketData.js';

export type LdSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * Every command goes through here: checks the ack is a function, parses the payload with zod
 * (types check nothing at runtime), and acks errors instead of throwing.
 */
export function onCommand<S extends z.ZodType, T>(
  socket: LdSocket,
  logger: Logger,
  event: keyof ClientToServerEvents,
  schema: S,
  run: (req: z.infer<S>) => Promise<T>,
): void {
  // Socket.IO's typed `on` cannot express "any command" generically; the handler shape is checked below.
  (socket as unknown as { on(e: string, fn: (...args: unknown[]) => void): void }).on(event, async (...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') return;
    const reply = ack as (r: AckResult<T>) => void;
    try {
      reply({ ok: true, data: await run(schema.parse(args[0])) });
    } catch (err) {
      const body = toErrorBody(err);
      if (!body) logger.error({ err, event }, 'socket command failed');
      reply({ ok: false, error: body ?? { code: ErrorCode.Internal, message: 'Something went wrong on our side.' } });
    }
  });
}
